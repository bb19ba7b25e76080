import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { resolveLanguage, SupportedLanguage } from '../common/languages';
import { TransactionRunner } from '../database/database.module';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { PendingOutboxEntry } from '../outbox/outbox.repository';
import { SupportersRepository } from '../people/membership.repository';
import { ActionTokenService, TokenLookup } from '../tokens/action-token.service';
import { RSVP_SUBSCRIBE_CONSENT_VERSION } from './event-messages';
import { CampaignEvent } from './campaign-event.entity';
import { EventsRepository } from './events.repository';
import { Rsvp } from './rsvp.entity';
import { SeatAllocationService } from './seat-allocation.service';

export type RsvpLinkOutcome =
  | 'ready'
  | 'going'
  | 'waitlisted'
  | 'full'
  | 'closed'
  | 'already'
  | 'cancel-ready'
  | 'cancelled'
  | 'already-cancelled'
  | 'expired'
  | 'unknown';

export interface RsvpLinkResult {
  outcome: RsvpLinkOutcome;
  language: SupportedLanguage;
  title?: string;
}

const UNKNOWN = { outcome: 'unknown' as const, language: 'en' as const };

/**
 * The links in event emails. GET only looks (mail scanners fetch links); POST acts, once.
 * Confirming and cancelling both decide seats in one transaction holding the event's row
 * lock, so seats go in the order the clicks arrive and are never over-allocated.
 */
@Injectable()
export class RsvpLinksService {
  constructor(
    private readonly tokens: ActionTokenService,
    private readonly events: EventsRepository,
    private readonly supporters: SupportersRepository,
    private readonly seats: SeatAllocationService,
    private readonly transactions: TransactionRunner,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
  ) {}

  async inspectConfirm(token: string): Promise<RsvpLinkResult> {
    const found = await this.tokens.lookup(token, 'confirm-rsvp');
    const rsvp = await this.rsvpOf(found);
    if (!rsvp) return this.lookupFailure(found);
    const view = await this.view(rsvp);
    if (found.state === 'used' || rsvp.status !== 'pending') return { ...view, outcome: 'already' };
    return { ...view, outcome: 'ready' };
  }

  async confirm(token: string): Promise<RsvpLinkResult> {
    const entries: PendingOutboxEntry[] = [];
    const result = await this.transactions.run(async (tx): Promise<RsvpLinkResult> => {
      const found = await this.tokens.lookup(token, 'confirm-rsvp', tx);
      const rsvp = await this.rsvpOf(found, tx);
      if (!rsvp || found.state === 'unknown' || found.state === 'expired') return this.lookupFailure(found);
      const event = await this.events.findEvent(rsvp.eventId, tx);
      if (!event) return UNKNOWN;
      const base = { language: resolveLanguage(rsvp.language), title: event.title };
      // The token's conditional update picks the one request (of a double click, say) that acts.
      if (found.state === 'used' || rsvp.status !== 'pending' || !(await this.tokens.markUsed(tx, found.token.id))) {
        return { ...base, outcome: 'already' };
      }
      if (!this.open(event)) return { ...base, outcome: 'closed' };

      // Everything about the person first, before the event's lock, so the part of the
      // transaction that every confirmation of this event waits for stays short.
      // The person proved the address: the details they typed become theirs, unless the
      // person was confirmed before (then only their own confirmations change them).
      const person = rsvp.personId ? await this.supporters.lockPerson(tx, rsvp.personId) : null;
      if (!person || !rsvp.email || !rsvp.givenName) return UNKNOWN;
      if (!person.confirmedAt) {
        await this.supporters.setPersonDetails(
          tx,
          person.id,
          {
            givenName: rsvp.givenName,
            familyName: rsvp.familyName,
            country: rsvp.country,
            postalCode: person.postalCode,
            language: rsvp.language,
          },
          rsvp.email,
          'replace',
        );
        await this.supporters.markPersonConfirmed(tx, person.id);
      }
      if (rsvp.subscribe) {
        const lists = await this.supporters.resolveLists(tx, []);
        await this.supporters.subscribe(
          tx,
          person.id,
          lists.map((l) => l.id),
        );
        await this.supporters.recordConsent(tx, {
          personId: person.id,
          action: 'event-rsvp',
          form: `event:${event.slug}`,
          textVersion: RSVP_SUBSCRIBE_CONSENT_VERSION,
          listSlugs: lists.map((l) => l.slug),
          requestId: rsvp.id,
          ipHash: rsvp.ipHash,
          givenAt: rsvp.updatedAt,
        });
      }
      const cancelTokenId = await this.seats.issueCancelToken(tx, event, rsvp.id, person.id, this.clock.now());

      // Seat decisions of one event, one at a time, in the order their clicks got here.
      const locked = await this.events.lockEvent(tx, event.id);
      if (!locked || !this.open(locked)) return { ...base, outcome: 'closed' };
      const seated = await this.seats.seat(tx, rsvp.id, cancelTokenId, rsvp.language ?? person.language ?? 'en');
      if (!seated) return { ...base, outcome: 'already' };
      entries.push(...seated.entries);
      return { ...base, outcome: seated.status === 'going' ? 'going' : seated.status === 'waitlisted' ? 'waitlisted' : 'full' };
    });
    for (const entry of entries) this.relay.dispatchSoon(entry);
    return result;
  }

  private open(event: CampaignEvent): boolean {
    return event.status === 'published' && event.startsAt.getTime() > this.clock.now().getTime();
  }

  async inspectCancel(token: string): Promise<RsvpLinkResult> {
    const found = await this.tokens.lookup(token, 'cancel-rsvp');
    const rsvp = await this.rsvpOf(found);
    if (!rsvp || found.state === 'unknown' || found.state === 'expired') return this.lookupFailure(found);
    const view = await this.view(rsvp);
    const live = rsvp.cancelTokenId === found.token.id && (rsvp.status === 'going' || rsvp.status === 'waitlisted');
    return { ...view, outcome: live ? 'cancel-ready' : 'already-cancelled' };
  }

  /** Cancels idempotently: the RSVP's status is the lock, the freed seats go to the waitlist. */
  async cancel(token: string): Promise<RsvpLinkResult> {
    const entries: PendingOutboxEntry[] = [];
    const result = await this.transactions.run(async (tx): Promise<RsvpLinkResult> => {
      const found = await this.tokens.lookup(token, 'cancel-rsvp', tx);
      const unlocked = await this.rsvpOf(found, tx);
      if (!unlocked || found.state === 'unknown' || found.state === 'expired') return this.lookupFailure(found);
      const event = await this.events.lockEvent(tx, unlocked.eventId);
      const rsvp = await this.events.lockRsvp(tx, unlocked.id);
      if (!event || !rsvp) return UNKNOWN;
      const base = { language: resolveLanguage(rsvp.language), title: event.title };
      // A link from before the RSVP was cancelled and answered again no longer acts.
      if (rsvp.cancelTokenId !== found.token.id || (rsvp.status !== 'going' && rsvp.status !== 'waitlisted')) {
        return { ...base, outcome: 'already-cancelled' };
      }
      await this.events.cancelRsvp(tx, rsvp.id);
      if (rsvp.status === 'going') entries.push(...(await this.seats.promote(tx, event, this.clock.now())));
      return { ...base, outcome: 'cancelled' };
    });
    for (const entry of entries) this.relay.dispatchSoon(entry);
    return result;
  }

  private async rsvpOf(found: TokenLookup, tx?: EntityManager): Promise<Rsvp | null> {
    if (found.state !== 'valid' && found.state !== 'used') return null;
    return this.events.findRsvp(found.token.subjectId, tx);
  }

  private lookupFailure(found: TokenLookup): RsvpLinkResult {
    return { outcome: found.state === 'expired' ? 'expired' : 'unknown', language: 'en' };
  }

  private async view(rsvp: Rsvp): Promise<{ language: SupportedLanguage; title?: string }> {
    const event = await this.events.findEvent(rsvp.eventId);
    return { language: resolveLanguage(rsvp.language), title: event?.title };
  }
}
