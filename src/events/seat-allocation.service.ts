import { ChangeFeed } from '../changes/change-feed.service';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EmailMessageRepository } from '../mail/email-message.repository';
import { OutboxRepository, PendingOutboxEntry } from '../outbox/outbox.repository';
import { CONFIRMATIONS_QUEUE, ConfirmationJob, confirmationJobId } from '../queues/confirmations.queue';
import { EVENT_REMINDERS_QUEUE, EventReminderJob, eventReminderJobId } from '../queues/event-reminders.queue';
import { ActionTokenService } from '../tokens/action-token.service';
import { CampaignEvent } from './campaign-event.entity';
import { EventsRepository, SeatDecision } from './events.repository';
import { RsvpStatus } from './rsvp.entity';

export const EventEmail = {
  Confirmation: 'rsvp-confirmation',
  Going: 'rsvp-going',
  Waitlisted: 'rsvp-waitlisted',
  Full: 'rsvp-full',
  Reminder: 'event-reminder',
  Cancelled: 'event-cancelled',
} as const;
export type EventEmailKind = (typeof EventEmail)[keyof typeof EventEmail];

/** Purpose of the cancel link an RSVP gets when it is decided (the confirmation link is the RSVP action's). */
export const CANCEL_RSVP = 'cancel-rsvp';

export interface SeatOutcome {
  status: RsvpStatus;
  /** Outbox entries written with the decision, to dispatch after the commit. */
  entries: PendingOutboxEntry[];
}

/**
 * Who gets a seat. `seat` and `promote` run inside a transaction that already holds the
 * event's row lock (`EventsRepository.lockEvent`), so decisions on one event are serialised by
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
    private readonly changes: ChangeFeed,
  ) {}

  /**
   * The cancel link of an RSVP about to be decided, issued before the event's lock is
   * taken so the locked part stays short (a refused RSVP leaves it unused; it expires).
   */
  issueCancelToken(tx: EntityManager, event: CampaignEvent, rsvpId: string, personId: string, now: Date): Promise<string> {
    // The link lives until the day after the event.
    const ttlDays = Math.max(1, Math.ceil((event.endsAt.getTime() - now.getTime()) / 86_400_000) + 1);
    return this.tokens.issue(tx, CANCEL_RSVP, rsvpId, personId, ttlDays);
  }

  /**
   * Going while seats remain, else waitlisted where the event has a waitlist, else
   * refused; the outcome email and reminder plan are written with the decision. Null when
   * the RSVP was no longer pending.
   */
  async seat(tx: EntityManager, rsvpId: string, cancelTokenId: string, language: string): Promise<SeatOutcome | null> {
    const decided = await this.events.decideSeat(tx, rsvpId, cancelTokenId);
    if (!decided) return null;
    const kind = decided.status === 'going' ? EventEmail.Going : decided.status === 'waitlisted' ? EventEmail.Waitlisted : EventEmail.Full;
    const entries = [await this.email(tx, kind, `rsvp-outcome:${decided.id}:${decided.requestRound}`, decided, language, {})];
    if (decided.status === 'going') entries.push(this.planReminders(decided));
    await this.outbox.add(tx, entries);
    return { status: decided.status, entries };
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
      const rsvp = await this.events.promoteToGoing(tx, candidate.id);
      await this.changes.record(tx, 'rsvp.going', {
        ...(rsvp.personId ? { personId: rsvp.personId } : {}),
        eventId: event.id,
        rsvpId: rsvp.id,
      });
      const language = rsvp.language ?? (await this.events.personLanguage(tx, rsvp.personId)) ?? 'en';
      entries.push(
        await this.email(tx, EventEmail.Going, `rsvp-promoted:${rsvp.id}:${rsvp.waitlistPosition}`, rsvp, language, { promoted: '1' }),
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
    rsvp: SeatDecision,
    language: string,
    extra: Record<string, string>,
  ): Promise<PendingOutboxEntry> {
    const messageId = await this.messages.create(tx, {
      kind,
      dedupeKey,
      personId: rsvp.personId,
      language,
      params: { rsvpId: rsvp.id, ...extra },
    });
    return this.sendEntry(messageId);
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

  private planReminders(rsvp: SeatDecision): PendingOutboxEntry {
    return {
      id: randomUUID(),
      queue: EVENT_REMINDERS_QUEUE,
      jobName: EventReminderJob.PlanRsvp,
      jobId: eventReminderJobId.planRsvp(rsvp.id, rsvp.goingAt?.getTime() ?? 0),
      payload: { rsvpId: rsvp.id },
    };
  }
}
