import { randomUUID } from 'node:crypto';

/** A unique address per call, so every test works on its own data. */
export function uniqueEmail(tag = 'supporter'): string {
  return `${tag}-${randomUUID().slice(0, 8)}@example.org`;
}

export function signupPayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { email: uniqueEmail(), givenName: 'Sam', familyName: 'Rivera', country: 'FR', language: 'en', consent: true, ...overrides };
}
