import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { SupportedLanguage } from '../common/languages';
import type { ChangeData, ChangeType } from '../changes/change-types';
import type { CsvQuery } from '../exports/csv-export.repository';
import type { PendingOutboxEntry } from '../outbox/outbox.repository';
import type { PersonDetails } from '../people/membership.repository';
import type { Person } from '../people/person.entity';
import type { PageContent } from '../web/html-page';
import type { RecordsExportSpec } from './records-export';

/**
 * What never changes about an action kind, known when its module is imported: the names the
 * outside world sees (routes, job names, token purposes, email kinds). The registry checks
 * that no two kinds share one.
 */
export interface ActionSpec {
  /** The kind's word in logs and in this folder: `join`, `signature`, `rsvp`. */
  kind: string;
  /**
   * Its records: their `table` (a row there names its person in `person_id`, which keeps the
   * person from the orphan clean-up and from retention; also the name of the retention and
   * erasure steps) and `idParam`, the name of a record's id in its job payload and its
   * email's params (`signupId`...).
   */
  record: { table: string; idParam: string };
  /** The public request's OpenAPI words: what it does, and why it may be refused with a 404/410 (`gone`). */
  request: { summary: string; gone?: string };
  /** The worker's job: decide what the request means and mail the link. */
  job: { queue: string; name: string };
  /** The link in the confirmation email: `GET/POST {PUBLIC_URL}/{path}/{token}`. */
  link: { path: string; purpose: string; ttlDays: number };
  /**
   * The confirmation email's kind; the kinds of other emails about one record that count
   * toward the daily caps with it (the signature reminder: they are composed here too); and
   * what the per-subject cap counts: the emails about one record (`record`: one petition's
   * signature, one event's RSVP), or every email of the kind to the address (`kind`: every
   * sign-up is one subject, the join flow).
   */
  emails: { confirmation: string; alsoCapped?: string[]; capSubject: 'record' | 'kind' };
  /**
   * Proving the address: the consent record's `action` and text version (unless each record
   * names its own), and whether the request is the person's own details form (join: then a
   * confirmed person's details are merged with it; else only an unconfirmed person's are set).
   */
  proof: { consentAction: string; consentTextVersion?: string; ownDetailsForm: boolean };
  /** The key of the person record's section, and whether `GET /admin/people/{id}` shows it (else subject access only). */
  section: { key: string; inDetail: boolean };
  /**
   * When a record counts as undecided or expired, as SQL conditions on its table (run by
   * `ActionsRepository` and retention on the partial indexes the entity declares):
   * `undecided`, a request no worker has decided, looked for by the reconciler once its
   * `since` column is old enough; `expired`, with `$1` the retention cutoff, a record never
   * confirmed whose last request is older than the cutoff.
   */
  sql: { undecided: string; since: string; expired: string };
  /** The organizers' CSV export of the records of one parent, if the kind has one (`exportQuery`). */
  export?: RecordsExportSpec;
  /**
   * The change-feed events (webhooks) a used link's outcomes make, recorded in the link's
   * transaction with the person's id, the record's (`record.idParam`) and the kind's own
   * (`changeIds`): `{confirmed: 'signature.confirmed'}`, `{going: 'rsvp.going', ...}`.
   */
  changes?: Partial<Record<string, ChangeType>>;
}

/** A record of the kind as the lifecycle reads it. */
export interface ActionRecord {
  id: string;
  /** The address the link proves, as typed with the request (or the person's, where the record keeps none). */
  email: string;
  /** The request's own language: the first choice for every email and page about it. */
  language: string | null;
  /** Null until the worker finds or creates the person (join), or once the person was erased. */
  personId: string | null;
  /** Keyed hash of the client address of the (latest) request, for the consent record. */
  ipHash: string | null;
  /** When the (latest) request was made: the consent was given then. */
  requestedAt: Date;
  /** A protected person's request (docs/safety.md): its emails get the neutral subject. */
  protected: boolean;
}

/** A request being decided, read under its lock by the kind's `lockPending`. */
export interface PendingRequest extends ActionRecord {
  /** Its person when the kind already has one (locked where the kind's lock order says so); null: `personFor` finds or creates them. */
  person: { id: string; language: string | null } | null;
  /** The key of this request's confirmation email: one email per key, ever. */
  dedupeKey: string;
  /** This request was decided before (a retried or duplicated job): only make sure its email went out. */
  decided: boolean;
  /** False when the request needs no link (an RSVP that is going already): decided, nothing mailed. */
  awaitsLink: boolean;
}

/**
 * What proving the address carries over from one record to its person (`ProofOfAddress`,
 * with the spec's `proof`): the details typed with the request, the lists, and what the
 * consent record says of the form.
 */
export interface AddressProof {
  details: PersonDetails;
  /** The address as typed: the person's row takes this spelling. */
  email: string;
  /** Lists to subscribe: the request's slugs (`[]` = the movement's default list), or null for none (and no consent record). */
  lists: string[] | null;
  /** The form or channel the consent came through (`api`, `petition:<slug>`...). */
  form: string;
  /** The consent text's version, where each record keeps its own (else the spec's). */
  textVersion?: string;
}

/**
 * A confirmation email's words from the catalogue, in one shape for every kind; `ActionEmails`
 * puts them in order (greeting, intro, details, expiry, the link's button) and renders them.
 */
export interface EmailWords {
  /** `subject` and `intro` may hold `{{placeholders}}` filled from `vars`. */
  texts: Record<'subject' | 'greeting' | 'intro' | 'action' | 'fallback' | 'expiry' | 'footer', string>;
  /** Filled into `subject` and `intro`: the organizer's words (a title, a time), never the requester's. */
  vars?: Record<string, string>;
  /** Lines between the intro and the expiry (an event's time and place; numbers such as guests). */
  details?: string[];
}

/**
 * One action kind: its spec and the steps of the lifecycle that are truly its own. Everything
 * else (the job, the decision, the caps, the token, the email, the link, the proof of address,
 * the reconciler, retention, erasure, the person record) is the engine's, driven by this.
 * A definition is a provider marked `@ActionKind()`; the registry finds it at boot.
 *
 * `R` is the record as links and emails read it, `P` the request as the worker decides it.
 */
export interface ActionDefinition<R extends ActionRecord = ActionRecord, P extends PendingRequest = PendingRequest> {
  readonly spec: ActionSpec;

  // ---- the worker's decision (ActionWorker) -------------------------------------------------

  /** Locks the record in the kind's lock order; null when there is nothing left to decide (gone, confirmed, anonymised). */
  lockPending(tx: EntityManager, id: string): Promise<P | null>;
  /** Only for kinds whose request has no person yet: finds or creates them, locked (and does what the kind does to them then). */
  personFor?(tx: EntityManager, request: P): Promise<{ id: string; language: string | null }>;
  /** The address is suppressed: the record goes. Returns a person to delete unless something else holds them. */
  dropSuppressed(tx: EntityManager, request: P): Promise<string | null>;
  /** Records that the request was decided (mailed or not) for that person. */
  markDecided(tx: EntityManager, request: P, personId: string, mailed: boolean): Promise<void>;

  // ---- the link (ConfirmLinks) and the email (ActionEmails) ---------------------------------

  /** The record a link or an email is about, inside the transaction when given; null when gone or anonymised. */
  findForLink(id: string, tx?: EntityManager): Promise<R | null>;
  /** Whether the record still waits for its link; if not, the link says `already` and no email about it goes out. */
  awaitsConfirmation(record: R): boolean;
  /**
   * The record's own conditional update once its token is spent (pending → confirmed, a count
   * delta): null when it went through, else the link's outcome to show instead (`already`,
   * `closed`). A link's outcomes: `ready` (GET: the button), `confirmed`, `already`, `closed`,
   * `expired`, `unknown`, or the kind's own (`going`, `waitlisted`, `full`).
   */
  claim(tx: EntityManager, record: R): Promise<string | null>;
  /** What proving the address carries over to this person. */
  proofOf(record: R, person: Person): AddressProof;
  /**
   * The kind's outcome after the proof (a seat), with the outbox entries it wrote (dispatched
   * once the transaction has committed); absent: `confirmed`.
   */
  outcome?(tx: EntityManager, record: R, person: Person): Promise<{ outcome: string; dispatch?: PendingOutboxEntry[] }>;
  /** The page of an outcome, in the record's language (the record is null for `unknown` and `expired`). */
  linkPage(outcome: string, language: SupportedLanguage, record: R | null): Omit<PageContent, 'language'>;
  /** The words of an email of one of the spec's kinds, or null when it has no reason to go out any more. */
  confirmationEmail(record: R, kind: string, language: SupportedLanguage): Promise<EmailWords | null>;

  // ---- the person record (PersonSectionRegistry) ----------------------------------------

  /** The person's records of this kind, for their detail and subject-access answers. */
  recordsOf(personId: string): Promise<unknown[]>;
  /** Erasure step, inside the erasure's transaction: delete or anonymise the person's records. */
  erase(tx: EntityManager, person: { id: string; emailNormalized: string }): Promise<void>;
  /** With `spec.changes`: the ids a change event names besides the person and the record (the petition, the event). */
  changeIds?(record: R): ChangeData;
  /** With `spec.export`: the export's query for one parent, its filters validated by the route's DTO; null when the parent is unknown. */
  exportQuery?(parentId: string, filters: Record<string, string | undefined>): Promise<CsvQuery | null>;
}

/** Marks a provider as an action kind's definition: `@ActionKind() @Injectable() export class JoinAction implements ActionDefinition`. */
export const ActionKind = DiscoveryService.createDecorator<void>();
