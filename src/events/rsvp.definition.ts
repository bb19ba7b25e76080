import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ChangeData } from '../changes/change-types';
import { Clock } from '../common/clock';
import { SupportedLanguage } from '../common/languages';
import { MembershipRepository } from '../people/membership.repository';
import { Person } from '../people/person.entity';
import type { CsvQuery } from '../exports/csv-export.repository';
import { ConfirmationJob, CONFIRMATIONS_QUEUE } from '../queues/confirmations.queue';
import { ActionKind } from '../actions/action-definition';
import type { ActionDefinition, ActionRecord, ActionSpec, AddressProof, EmailWords, PendingRequest } from '../actions/action-definition';
import { PendingOutboxEntry } from '../outbox/outbox.repository';
import { CampaignEvent } from './campaign-event.entity';
import { eventDetailLines } from './event-mail.composer';
import { EVENT_EMAIL, formatEventTime, RSVP_SUBSCRIBE_CONSENT_VERSION } from './event-messages';
import { EventsRepository, RSVP_CSV_COLUMNS } from './events.repository';
import { Rsvp, RsvpStatus } from './rsvp.entity';
import { rsvpPageContent } from './rsvp-pages';
import { EventEmail, SeatAllocationService } from './seat-allocation.service';

export const RSVP: ActionSpec = {
  kind: 'rsvp',
  record: { table: 'rsvps', idParam: 'rsvpId' },
  request: {
    summary: 'Answer an invitation (a confirmation email follows; the seat is decided when its link is used)',
    gone: 'The event is cancelled or has started',
  },
  job: { queue: CONFIRMATIONS_QUEUE, name: ConfirmationJob.ProcessRsvp },
  link: { path: 'rsvp/confirm', purpose: 'confirm-rsvp', ttlDays: 7 },
  // One RSVP per person and event: its request rounds are the repeats the resend cap counts.
  emails: { confirmation: EventEmail.Confirmation, capSubject: 'record' },
  proof: { consentAction: 'event-rsvp', consentTextVersion: RSVP_SUBSCRIBE_CONSENT_VERSION, ownDetailsForm: false },
  section: { key: 'rsvps', inDetail: true },
  // A pending RSVP holds no seat: deleting it moves no count. Its last request is `updated_at`.
  sql: { undecided: 'processed_round < request_round', since: 'updated_at', expired: `status = 'pending' AND updated_at < $1` },
  export: {
    route: 'events/:id/rsvps.csv',
    parent: 'event',
    filename: 'rsvps.csv',
    audit: 'export.rsvps',
    header: RSVP_CSV_COLUMNS.map((c) => c.header).join(','),
  },
  // `full` (refused: no seat, no waitlist) is no change a receiver is promised.
  changes: { going: 'rsvp.going', waitlisted: 'rsvp.waitlisted' },
};

type RsvpRecord = ActionRecord & { personId: string; rsvp: Rsvp };
type RsvpLinkRecord = RsvpRecord & { event: CampaignEvent };
type RsvpRequest = PendingRequest & RsvpRecord;

/** Null for an anonymised RSVP (its person erased): nothing of it is a request any more. */
function rsvpRecord(rsvp: Rsvp | null): RsvpRecord | null {
  if (!rsvp?.personId || !rsvp.email) return null;
  const { id, email, language, personId, ipHash } = rsvp;
  // A repeated request refreshes a pending RSVP: its consent was given with the latest one.
  return { id, email, language, personId, ipHash, requestedAt: rsvp.updatedAt, protected: rsvp.protected, rsvp };
}

/**
 * An RSVP as an action kind. What is its own: a repeated request is a new round of one RSVP
 * (decided once each, and only while the RSVP still waits: going or waitlisted needs no link),
 * the request keeps no postal code, and its outcome is a seat decided under the event's row
 * lock (`SeatAllocationService`). Seats, the waitlist, cancelling and reminders stay here.
 */
@ActionKind()
@Injectable()
export class RsvpAction implements ActionDefinition<RsvpLinkRecord, RsvpRequest> {
  readonly spec = RSVP;

  constructor(
    private readonly events: EventsRepository,
    private readonly membership: MembershipRepository,
    private readonly seats: SeatAllocationService,
    private readonly clock: Clock,
  ) {}

  async lockPending(tx: EntityManager, id: string): Promise<RsvpRequest | null> {
    const unlocked = rsvpRecord(await this.events.findRsvp(id, tx));
    if (!unlocked) return null;
    const dedupeKey = (round: number): string => `rsvp:${id}:${round}`;
    if (unlocked.rsvp.processedRound >= unlocked.rsvp.requestRound) {
      return { ...unlocked, person: null, dedupeKey: dedupeKey(unlocked.rsvp.requestRound), decided: true, awaitsLink: false };
    }
    // The person's lock serialises every confirmation decision of one address (cap count).
    const person = await this.membership.lockPerson(tx, unlocked.personId);
    const current = rsvpRecord(await this.events.lockRsvp(tx, id));
    if (!person || !current) return null;
    const { processedRound, requestRound, status } = current.rsvp;
    return {
      ...current,
      person: { id: person.id, language: person.language },
      dedupeKey: dedupeKey(requestRound),
      decided: processedRound >= requestRound,
      awaitsLink: status === 'pending',
    };
  }

  /** A pending RSVP holds no seat: it goes, and its person too when that is all they were. */
  async dropSuppressed(tx: EntityManager, request: RsvpRequest): Promise<string> {
    await this.events.deletePendingRsvp(tx, request.id);
    return request.personId;
  }

  markDecided(tx: EntityManager, request: RsvpRequest): Promise<void> {
    return this.events.markProcessed(tx, request.id, request.rsvp.requestRound);
  }

  async findForLink(id: string, tx?: EntityManager): Promise<RsvpLinkRecord | null> {
    const record = rsvpRecord(await this.events.findRsvp(id, tx));
    const event = record ? await this.events.findEvent(record.rsvp.eventId, tx) : null;
    return record && event ? { ...record, event } : null;
  }

  awaitsConfirmation({ rsvp }: RsvpLinkRecord): boolean {
    return rsvp.status === 'pending';
  }

  /** An event that no longer takes answers (cancelled, started) refuses before anything changes. */
  claim(_tx: EntityManager, { event }: RsvpLinkRecord): Promise<string | null> {
    return Promise.resolve(this.open(event) ? null : 'closed');
  }

  proofOf({ rsvp, event, email }: RsvpLinkRecord, person: Person): AddressProof {
    const { givenName, familyName, country, language, subscribe } = rsvp;
    // An RSVP asks for no postal code: the person's stays.
    const details = { givenName, familyName, country, postalCode: person.postalCode, language };
    return { details, email, lists: subscribe ? [] : null, form: `event:${event.slug}` };
  }

  /**
   * The seat. Everything about the person came first, before the event's lock, so the part of
   * the transaction every confirmation of this event waits for stays short; under the lock,
   * seats go in the order the clicks got here.
   */
  async outcome(
    tx: EntityManager,
    { rsvp, event }: RsvpLinkRecord,
    person: Person,
  ): Promise<{ outcome: string; dispatch?: PendingOutboxEntry[] }> {
    const cancelTokenId = await this.seats.issueCancelToken(tx, event, rsvp.id, person.id, this.clock.now());
    const locked = await this.events.lockEvent(tx, event.id);
    if (!locked || !this.open(locked)) return { outcome: 'closed' };
    const seated = await this.seats.seat(tx, rsvp.id, cancelTokenId, rsvp.language ?? person.language ?? 'en');
    if (!seated) return { outcome: 'already' };
    return {
      outcome: seated.status === 'going' ? 'going' : seated.status === 'waitlisted' ? 'waitlisted' : 'full',
      dispatch: seated.entries,
    };
  }

  linkPage(outcome: string, language: SupportedLanguage, record: RsvpLinkRecord | null): ReturnType<typeof rsvpPageContent> {
    return rsvpPageContent(language, outcome, record?.event.title);
  }

  confirmationEmail({ rsvp, event }: RsvpLinkRecord, _kind: string, language: SupportedLanguage): Promise<EmailWords | null> {
    if (event.status !== 'published') return Promise.resolve(null);
    const t = EVENT_EMAIL[language];
    const texts = { ...t, subject: t.confirmSubject, intro: t.confirmIntro, action: t.confirmAction, expiry: t.confirmExpiry };
    const vars = { title: event.title, when: formatEventTime(event.startsAt, event.timezone, language) };
    return Promise.resolve({ texts, vars, details: eventDetailLines(t, event, rsvp, false, language) });
  }

  changeIds({ rsvp }: RsvpLinkRecord): ChangeData {
    return { eventId: rsvp.eventId };
  }

  recordsOf(personId: string): Promise<unknown[]> {
    return this.events.rsvpsOf(personId);
  }

  /** A going RSVP keeps its seat, anonymous; anything waiting is cancelled (see the README). */
  erase(tx: EntityManager, person: { id: string }): Promise<void> {
    return this.events.anonymiseRsvpsOf(tx, person.id);
  }

  /** An event's RSVPs, anonymous ones included so the file adds up to the seats. */
  async exportQuery(eventId: string, filters: { status?: RsvpStatus }): Promise<CsvQuery | null> {
    return (await this.events.findEvent(eventId)) ? this.events.rsvpExportQuery(eventId, filters) : null;
  }

  private open(event: CampaignEvent): boolean {
    return event.status === 'published' && event.startsAt.getTime() > this.clock.now().getTime();
  }
}
