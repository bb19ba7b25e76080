import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { SupportedLanguage } from '../common/languages';
import { MembershipRepository, personDetailsOf } from '../people/membership.repository';
import { ConfirmationJob, CONFIRMATIONS_QUEUE } from '../queues/confirmations.queue';
import { messages } from '../messages/catalogue';
import { confirmPageContent } from '../web/confirm-page';
import { ActionKind } from '../actions/action-definition';
import type { ActionDefinition, ActionRecord, ActionSpec, AddressProof, EmailWords, PendingRequest } from '../actions/action-definition';
import { Signup } from './signup.entity';
import { SignupsRepository } from './signups.repository';

/** Version of the consent text shown by the join form; recorded with every consent. */
export const JOIN_CONSENT_VERSION = 'join-2026-11';

const TEXT = messages((m) => m.join);

export const JOIN: ActionSpec = {
  kind: 'join',
  record: { table: 'signups', idParam: 'signupId' },
  request: { summary: 'Join the movement (double opt-in: a confirmation email follows)' },
  job: { queue: CONFIRMATIONS_QUEUE, name: ConfirmationJob.ProcessSignup },
  link: { path: 'confirm', purpose: 'confirm-signup', ttlDays: 7 },
  // Every sign-up of one address is one subject: the join flow.
  emails: { confirmation: 'signup-confirmation', capSubject: 'kind' },
  // The join form is the person's own details form; each sign-up records its consent text's version.
  proof: { consentAction: 'signup', ownDetailsForm: true },
  section: { key: 'signups', inDetail: false },
  sql: { undecided: `status = 'received'`, since: 'created_at', expired: `status <> 'confirmed' AND created_at < $1` },
};

type JoinRecord = ActionRecord & { signup: Signup };
type JoinRequest = PendingRequest & { signup: Signup };

const record = (signup: Signup): JoinRecord => ({
  id: signup.id,
  email: signup.email,
  language: signup.language,
  personId: signup.personId,
  ipHash: signup.ipHash,
  requestedAt: signup.createdAt,
  protected: signup.protected,
  signup,
});

/**
 * "Join the movement" as an action kind. What is its own: the request has no person yet (the
 * worker finds or creates them, and refreshes an unconfirmed person's details and pending
 * subscriptions at once), the request names its lists, and its confirmation is the person's
 * own details form (a confirmed person's details are merged with it).
 */
@ActionKind()
@Injectable()
export class JoinAction implements ActionDefinition<JoinRecord, JoinRequest> {
  readonly spec = JOIN;

  constructor(
    private readonly signups: SignupsRepository,
    private readonly membership: MembershipRepository,
  ) {}

  async lockPending(tx: EntityManager, id: string): Promise<JoinRequest | null> {
    const signup = await this.signups.lockSignup(tx, id);
    if (!signup) return null;
    return { ...record(signup), person: null, dedupeKey: `signup:${id}`, decided: signup.status !== 'received', awaitsLink: true };
  }

  async personFor(tx: EntityManager, { signup }: JoinRequest): Promise<{ id: string; language: string | null }> {
    const details = personDetailsOf(signup);
    const person = await this.membership.lockOrCreatePerson(tx, signup.email, signup.emailNormalized, details);
    // Until the address is proven, the newest sign-up's details stand; a confirmed person's
    // details change only through their own confirmation (else anyone could rename anyone),
    // and so do an imported person's: the organizer typed them, and the newsletters an
    // imported subscriber gets would otherwise greet them with a stranger's words.
    if (!person.confirmedAt && !person.importedAt) await this.membership.setPersonDetails(tx, person.id, details, signup.email, 'replace');
    const lists = await this.membership.resolveLists(tx, signup.listSlugs);
    await this.membership.ensurePendingSubscriptions(
      tx,
      person.id,
      lists.map((l) => l.id),
    );
    return person;
  }

  /** Nothing of a suppressed address may stay, not even the request: the sign-up goes (no person was made for it). */
  async dropSuppressed(tx: EntityManager, request: JoinRequest): Promise<null> {
    await this.signups.deleteSignup(tx, request.id);
    return null;
  }

  markDecided(tx: EntityManager, request: JoinRequest, personId: string, mailed: boolean): Promise<void> {
    return this.signups.markSignup(tx, request.id, mailed ? 'mailed' : 'throttled', personId);
  }

  async findForLink(id: string, tx?: EntityManager): Promise<JoinRecord | null> {
    const signup = await this.signups.findSignup(id, tx);
    return signup ? record(signup) : null;
  }

  awaitsConfirmation({ signup }: JoinRecord): boolean {
    return signup.status !== 'confirmed';
  }

  async claim(tx: EntityManager, { signup }: JoinRecord): Promise<string | null> {
    return (await this.signups.confirmSignup(tx, signup.id)) ? null : 'already';
  }

  /** Each link applies its own sign-up's details and lists: a newer request may be a stranger's. */
  proofOf({ signup }: JoinRecord): AddressProof {
    return {
      details: personDetailsOf(signup),
      email: signup.email,
      lists: signup.listSlugs,
      form: signup.source ?? 'api',
      textVersion: signup.consentTextVersion,
    };
  }

  linkPage(outcome: string, language: SupportedLanguage): ReturnType<typeof confirmPageContent> {
    return confirmPageContent(TEXT[language].link, outcome);
  }

  confirmationEmail(_record: JoinRecord, _kind: string, language: SupportedLanguage): Promise<EmailWords> {
    return Promise.resolve({ texts: TEXT[language].email });
  }

  recordsOf(personId: string): Promise<unknown[]> {
    return this.signups.signupsOf(personId);
  }

  erase(tx: EntityManager, person: { id: string; emailNormalized: string }): Promise<void> {
    return this.signups.deleteSignupsOf(tx, person.id, person.emailNormalized);
  }
}
