import { ChangeFeed } from '../changes/change-feed.service';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { resolveLanguage, SupportedLanguage } from '../common/languages';
import { TransactionRunner } from '../database/database.module';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { PendingOutboxEntry } from '../outbox/outbox.repository';
import { ActionTokenService, TokenLookup } from '../tokens/action-token.service';
import { EventsRepository } from './events.repository';
import { CANCEL_RSVP, SeatAllocationService } from './seat-allocation.service';

/** What the cancel link of an event email can find. */
export type Cancelstring = 'cancel-ready' | 'cancelled' | 'already-cancelled' | 'expired' | 'unknown';

export interface CancelLinkResult {
  outcome: Cancelstring;
  language: SupportedLanguage;
  title?: string;
}

const UNKNOWN = { outcome: 'unknown' as const, language: 'en' as const };

/**
 * The cancel link in event emails. GET only looks (mail scanners fetch links); POST cancels,
 * once, in one transaction holding the event's row lock: the RSVP's status is the lock, and
 * the freed seats go to the waitlist in order.
 */
@Injectable()
export class RsvpLinksService {
  constructor(
    private readonly tokens: ActionTokenService,
    private readonly events: EventsRepository,
    private readonly seats: SeatAllocationService,
    private readonly transactions: TransactionRunner,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
    private readonly changes: ChangeFeed,
  ) {}

  async inspectCancel(token: string): Promise<CancelLinkResult> {
    const found = await this.tokens.lookup(token, CANCEL_RSVP);
    if (found.state !== 'valid' && found.state !== 'used') return lookupFailure(found);
    const rsvp = await this.events.findRsvp(found.token.subjectId);
    if (!rsvp) return UNKNOWN;
    const event = await this.events.findEvent(rsvp.eventId);
    const live = rsvp.cancelTokenId === found.token.id && (rsvp.status === 'going' || rsvp.status === 'waitlisted');
    return { outcome: live ? 'cancel-ready' : 'already-cancelled', language: resolveLanguage(rsvp.language), title: event?.title };
  }

  /** Cancels idempotently: the RSVP's status is the lock, the freed seats go to the waitlist. */
  async cancel(token: string): Promise<CancelLinkResult> {
    const entries: PendingOutboxEntry[] = [];
    const result = await this.transactions.run(async (tx): Promise<CancelLinkResult> => {
      const found = await this.tokens.lookup(token, CANCEL_RSVP, tx);
      if (found.state !== 'valid' && found.state !== 'used') return lookupFailure(found);
      const unlocked = await this.events.findRsvp(found.token.subjectId, tx);
      if (!unlocked) return UNKNOWN;
      const event = await this.events.lockEvent(tx, unlocked.eventId);
      const rsvp = await this.events.lockRsvp(tx, unlocked.id);
      if (!event || !rsvp) return UNKNOWN;
      const base = { language: resolveLanguage(rsvp.language), title: event.title };
      // A link from before the RSVP was cancelled and answered again no longer acts.
      if (rsvp.cancelTokenId !== found.token.id || (rsvp.status !== 'going' && rsvp.status !== 'waitlisted')) {
        return { ...base, outcome: 'already-cancelled' };
      }
      await this.events.cancelRsvp(tx, rsvp.id);
      await this.changes.record(tx, 'rsvp.cancelled', {
        ...(rsvp.personId ? { personId: rsvp.personId } : {}),
        eventId: event.id,
        rsvpId: rsvp.id,
      });
      if (rsvp.status === 'going') entries.push(...(await this.seats.promote(tx, event, this.clock.now())));
      return { ...base, outcome: 'cancelled' };
    });
    for (const entry of entries) this.relay.dispatchSoon(entry);
    return result;
  }
}

function lookupFailure(found: TokenLookup): CancelLinkResult {
  return { outcome: found.state === 'expired' ? 'expired' : 'unknown', language: 'en' };
}
