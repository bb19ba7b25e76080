import { randomUUID } from 'node:crypto';
import { uniqueEmail } from './signup.factory';

const HOUR = 3_600_000;

/** A unique slug per call, so every test works on its own event. */
export function uniqueSlug(tag = 'event'): string {
  return `${tag}-${randomUUID().slice(0, 8)}`;
}

/** An organizer's new event: published, two days from now, in Paris, no seat limit. */
export function eventPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const startsAt = new Date(Math.ceil((Date.now() + 48 * HOUR) / HOUR) * HOUR);
  return {
    slug: uniqueSlug(),
    title: 'Assemblée du mouvement',
    description: 'Une soirée pour préparer la campagne.',
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3 * HOUR).toISOString(),
    timezone: 'Europe/Paris',
    location: { name: 'Salle des fêtes', address: '12 rue de la Paix, Paris', online: false },
    waitlist: false,
    reminders: [],
    status: 'published',
    ...overrides,
  };
}

export function rsvpPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { email: uniqueEmail('rsvp'), givenName: 'Sam', familyName: 'Rivera', country: 'FR', language: 'en', ...overrides };
}
