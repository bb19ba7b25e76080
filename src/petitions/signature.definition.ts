import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { ChangeData } from '../changes/change-types';
import { SupportedLanguage } from '../common/languages';
import { personDetailsOf } from '../people/membership.repository';
import { Person } from '../people/person.entity';
import type { CsvQuery } from '../exports/csv-export.repository';
import { ConfirmationJob, CONFIRMATIONS_QUEUE } from '../queues/confirmations.queue';
import { messages } from '../messages/catalogue';
import { confirmPageContent } from '../web/confirm-page';
import { ActionKind } from '../actions/action-definition';
import type { ActionDefinition, ActionRecord, ActionSpec, AddressProof, EmailWords, PendingRequest } from '../actions/action-definition';
import { chooseLanguage, contentIn } from './petition-content';
import { PetitionsRepository, SIGNATURE_CSV_COLUMNS, SignatureExportFilters, SignatureForProcessing } from './petitions.repository';

/** Version of the text next to the petition form's "subscribe" box; recorded with the consent. */
export const PETITION_CONSENT_VERSION = 'petition-2026-11';

const TEXT = messages((m) => m.signature);

export const SignatureEmail = { Confirmation: 'signature-confirmation', Reminder: 'signature-reminder' } as const;

export const SIGNATURE: ActionSpec = {
  kind: 'signature',
  record: { table: 'signatures', idParam: 'signatureId' },
  request: { summary: 'Sign (double opt-in: the signature counts once its emailed link is used)', gone: 'The petition is closed' },
  job: { queue: CONFIRMATIONS_QUEUE, name: ConfirmationJob.ProcessSignature },
  link: { path: 'petitions/confirm', purpose: 'confirm-signature', ttlDays: 7 },
  // The reminder counts toward the caps with the confirmations: a victim's address signed onto
  // many petitions must not be flooded with reminders either.
  emails: { confirmation: SignatureEmail.Confirmation, alsoCapped: [SignatureEmail.Reminder], capSubject: 'record' },
  proof: { consentAction: 'petition-signature', consentTextVersion: PETITION_CONSENT_VERSION, ownDetailsForm: false },
  section: { key: 'signatures', inDetail: true },
  sql: {
    undecided: `status = 'pending' AND handled_requests < sign_requests`,
    since: 'created_at',
    // A repeat that resent the link keeps the signature alive while the link is.
    expired: `status = 'pending' AND created_at < $1 AND (mailed_at IS NULL OR mailed_at < $1)`,
  },
  export: {
    route: 'petitions/:id/signatures.csv',
    parent: 'petition',
    filename: 'signatures.csv',
    audit: 'export.signatures',
    header: SIGNATURE_CSV_COLUMNS.map((c) => c.header).join(','),
  },
  changes: { confirmed: 'signature.confirmed' },
};

export type SignatureRecord = ActionRecord & { personId: string; signature: SignatureForProcessing };
type SignatureRequest = PendingRequest & SignatureRecord;

/** Read joined to its person, so never an anonymised signature. */
export const signatureRecord = (signature: SignatureForProcessing): SignatureRecord => ({
  id: signature.id,
  email: signature.personEmail,
  language: signature.language,
  personId: signature.personId,
  ipHash: signature.ipHash,
  requestedAt: signature.createdAt,
  protected: signature.protected,
  signature,
});

/**
 * A petition signature as an action kind. What is its own: one signature per person and
 * petition (the sign path's batched statement upserts the person and counts a repeat as a
 * request round, each decided once), the count delta written when it is confirmed, and
 * `subscribe` joining the default list under the same confirmation. Counts, the public signer
 * list and the reminder stay in this folder.
 */
@ActionKind()
@Injectable()
export class SignatureAction implements ActionDefinition<SignatureRecord, SignatureRequest> {
  readonly spec = SIGNATURE;

  constructor(private readonly petitions: PetitionsRepository) {}

  async lockPending(tx: EntityManager, id: string): Promise<SignatureRequest | null> {
    const signature = await this.petitions.lockSignature(tx, id);
    if (signature?.status !== 'pending') return null;
    const decided = signature.handledRequests >= signature.signRequests;
    // The n-th request's email: a repeat may resend the link (within the caps).
    const round = decided ? signature.handledRequests : signature.signRequests;
    return {
      ...signatureRecord(signature),
      person: { id: signature.personId, language: signature.personLanguage },
      dedupeKey: `signature:${id}:${round}`,
      decided,
      awaitsLink: true,
    };
  }

  /** The signature goes; so does its person when this very request created them. */
  async dropSuppressed(tx: EntityManager, request: SignatureRequest): Promise<string | null> {
    return (await this.petitions.deleteSignature(tx, request.id)) ? request.personId : null;
  }

  markDecided(tx: EntityManager, request: SignatureRequest, _personId: string, mailed: boolean): Promise<void> {
    return this.petitions.markHandled(tx, request.id, request.signature.signRequests, mailed);
  }

  async findForLink(id: string, tx?: EntityManager): Promise<SignatureRecord | null> {
    const signature = await this.petitions.findSignature(id, tx);
    return signature ? signatureRecord(signature) : null;
  }

  awaitsConfirmation({ signature }: SignatureRecord): boolean {
    return signature.status === 'pending';
  }

  /** Pending → confirmed, with one row in `petition_count_deltas` (no hot row to fight over). */
  async claim(tx: EntityManager, { signature }: SignatureRecord): Promise<string | null> {
    return (await this.petitions.confirmSignature(tx, signature.id, signature.petitionId)) ? null : 'already';
  }

  proofOf({ signature }: SignatureRecord, person: Person): AddressProof {
    // `subscribe` joins the default list under the same confirmation.
    return {
      details: personDetailsOf(signature),
      email: person.email,
      lists: signature.subscribe ? [] : null,
      form: `petition:${signature.petitionSlug}`,
    };
  }

  linkPage(outcome: string, language: SupportedLanguage): ReturnType<typeof confirmPageContent> {
    return confirmPageContent(TEXT[language].link, outcome);
  }

  /** The confirmation and the reminder, in the signer's language, naming the petition in it where it has that translation. */
  async confirmationEmail({ signature }: SignatureRecord, kind: string, language: SupportedLanguage): Promise<EmailWords | null> {
    const petition = await this.petitions.findPetition(signature.petitionId);
    if (!petition) return null;
    const title = contentIn(petition, chooseLanguage(petition.language, Object.keys(petition.translations), language, undefined)).title;
    const texts = kind === SignatureEmail.Reminder ? TEXT[language].reminder : TEXT[language].email;
    return { texts, vars: { title } };
  }

  changeIds({ signature }: SignatureRecord): ChangeData {
    return { petitionId: signature.petitionId };
  }

  recordsOf(personId: string): Promise<unknown[]> {
    return this.petitions.signaturesOf(personId);
  }

  /** A pending signature goes; a confirmed one stays for the count, anonymous (see the README). */
  erase(tx: EntityManager, person: { id: string }): Promise<void> {
    return this.petitions.anonymiseSignaturesOf(tx, person.id);
  }

  /** Pending and confirmed signatures of a petition, anonymous ones included so the file adds up to the count. */
  async exportQuery(petitionId: string, filters: SignatureExportFilters): Promise<CsvQuery | null> {
    return (await this.petitions.findPetitionStatus(petitionId)) ? this.petitions.signatureExportQuery(petitionId, filters) : null;
  }
}
