import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EmailMessageRepository } from '../mail/email-message.repository';
import { OutboxRepository, PendingOutboxEntry } from '../outbox/outbox.repository';
import { CONFIRMATIONS_QUEUE, ConfirmationJob, confirmationJobId } from '../queues/confirmations.queue';
import { EVENT_REMINDERS_QUEUE, EventReminderJob, eventReminderJobId } from '../queues/event-reminders.queue';
import { ActionTokenService } from '../tokens/action-token.service';
import { CampaignEvent } from './campaign-event.entity';
import { EventsRepository } from './events.repository';
import { Rsvp } from './rsvp.entity';

export const EventEmail = {
  Confirmation: 'rsvp-confirmation',
  Going: 'rsvp-going',
  Waitlisted: 'rsvp-waitlisted',
  Full: 'rsvp-full',
  Reminder: 'event-reminder',
  Cancelled: 'event-cancelled',
} as const;
export type EventEmailKind = (typeof EventEmail)[keyof typeof EventEmail];

/**
 * Who gets a seat. Every method runs inside a transaction that already holds the event's
 * row lock (`EventsRepository.lockEvent`), so decisions on one event are serialised by
 * PostgreSQL itself: 50 confirmations racing for 10 seats queue on that lock and each
 * counts the seats the previous ones took. Emails and reminder plans are written as
 * intents (email_messages + outbox) in the same transaction; the caller dispatches the
 * returned outbox entries after the commit.
 */
@Injectable()
export class SeatAllocationService {
  constructor(
    private readonly events: EventsRepository,
    private readonly messages: EmailMessageRepository,
    private readonly outbox: OutboxRepository,
    private readonly tokens: ActionTokenService,
  ) {}

  /** Going while seats remain, else waitlisted where the event has a waitlist, else refused. */
  async seat(
    tx: EntityManager,
    event: CampaignEvent,
    rsvp: Rsvp,
    language: string,
  ): Promise<{ rsvp: Rsvp; entries: PendingOutboxEntry[] }> {
    const taken = (await this.events.seatsTaken([event.id], tx)).get(event.id) ?? 0;
    const fits = event.capacity === null || taken + 1 + rsvp.guests <= event.capacity;
    const status = fits ? 'going' : event.waitlist ? 'waitlisted' : 'refused';
    const decided = await this.events.decide(tx, rsvp.id, status, true);
    if (status !== 'refused') await this.ensureCancelToken(tx, event, decided);
    const kind = status === 'going' ? EventEmail.Going : status === 'waitlisted' ? EventEmail.Waitlisted : EventEmail.Full;
    const entries = await this.email(tx, kind, `rsvp-outcome:${rsvp.id}:${rsvp.requestRound}`, decided, language, {});
    if (status === 'going') entries.push(this.planReminders(decided));
    await this.outbox.add(tx, entries);
    return { rsvp: decided, entries };
  }

  /**
   * Gives freed seats to the waitlist in order. Whoever fits is promoted: a party too big
   * for the seats left is skipped for a smaller one behind it, and keeps its place.
   */
  async promote(tx: EntityManager, event: CampaignEvent, now: Date): Promise<PendingOutboxEntry[]> {
    if (event.status !== 'published' || event.startsAt.getTime() <= now.getTime()) return [];
    const taken = (await this.events.seatsTaken([event.id], tx)).get(event.id) ?? 0;
    let free = event.capacity === null ? Number.POSITIVE_INFINITY : event.capacity - taken;
    if (free <= 0) return [];
    const entries: PendingOutboxEntry[] = [];
    for (const candidate of await this.events.lockWaitlist(tx, event.id)) {
      if (free <= 0) break;
      if (1 + candidate.guests > free) continue;
      free -= 1 + candidate.guests;
      const rsvp = await this.events.decide(tx, candidate.id, 'going', false);
      await this.ensureCancelToken(tx, event, rsvp);
      const language = await this.languageOf(tx, rsvp);
      entries.push(
        ...(await this.email(tx, EventEmail.Going, `rsvp-promoted:${rsvp.id}:${rsvp.waitlistPosition}`, rsvp, language, { promoted: '1' })),
        this.planReminders(rsvp),
      );
    }
    await this.outbox.add(tx, entries);
    return entries;
  }

  /** The organizer cancelled the event: everyone going or waitlisted is told once. */
  async tellCancelled(tx: EntityManager, event: CampaignEvent): Promise<PendingOutboxEntry[]> {
    const entries: PendingOutboxEntry[] = [];
    for (const r of await this.events.attendeesToTell(tx, event.id)) {
      const messageId = await this.messages.create(tx, {
        kind: EventEmail.Cancelled,
        dedupeKey: `event-cancelled:${r.id}`,
        personId: r.personId,
        language: r.language,
        params: { rsvpId: r.id },
      });
      entries.push(this.sendEntry(messageId));
    }
    await this.outbox.add(tx, entries);
    return entries;
  }

  private async email(
    tx: EntityManager,
    kind: EventEmailKind,
    dedupeKey: string,
    rsvp: Rsvp,
    language: string,
    extra: Record<string, string>,
  ): Promise<PendingOutboxEntry[]> {
    const messageId = await this.messages.create(tx, {
      kind,
      dedupeKey,
      personId: rsvp.personId,
      language,
      params: { rsvpId: rsvp.id, ...extra },
    });
    return [this.sendEntry(messageId)];
  }

  private sendEntry(messageId: string): PendingOutboxEntry {
    return {
      id: randomUUID(),
      queue: CONFIRMATIONS_QUEUE,
      jobName: ConfirmationJob.SendEventEmail,
      jobId: confirmationJobId.sendEventEmail(messageId),
      payload: { messageId },
    };
  }

  private planReminders(rsvp: Rsvp): PendingOutboxEntry {
    return {
      id: randomUUID(),
      queue: EVENT_REMINDERS_QUEUE,
      jobName: EventReminderJob.PlanRsvp,
      jobId: eventReminderJobId.planRsvp(rsvp.id, rsvp.goingAt?.getTime() ?? 0),
      payload: { rsvpId: rsvp.id },
    };
  }

  /** The cancel link lives until the day after the event. */
  private async ensureCancelToken(tx: EntityManager, event: CampaignEvent, rsvp: Rsvp): Promise<void> {
    if (rsvp.cancelTokenId) return;
    const ttlDays = Math.max(1, Math.ceil((event.endsAt.getTime() - Date.now()) / 86_400_000) + 1);
    const tokenId = await this.tokens.issue(tx, 'cancel-rsvp', rsvp.id, rsvp.personId, ttlDays);
    await this.events.setCancelToken(tx, rsvp.id, tokenId);
    rsvp.cancelTokenId = tokenId;
  }

  private async languageOf(tx: EntityManager, rsvp: Rsvp): Promise<string> {
    return rsvp.language ?? (await this.events.personLanguage(tx, rsvp.personId)) ?? 'en';
  }
}
