import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { resolveLanguage } from '../common/languages';
import { CanaryService, SightingSource } from '../canaries/canary.service';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/database.module';
import { EmailMessageRepository } from '../mail/email-message.repository';
import { SuppressionRepository } from '../mail/suppression.repository';
import { TransactionalMailService } from '../mail/transactional-mail.service';
import { MembershipRepository } from '../people/membership.repository';
import { PendingOutboxEntry } from '../outbox/outbox.repository';
import { JobHandlers } from '../queues/job-handlers';
import { ActionTokenService } from '../tokens/action-token.service';
import { ActionDefinition, ActionRecord, PendingRequest } from './action-definition';
import { ActionRegistry } from './action-registry';

/** What a decision leaves to do once its transaction has committed. */
interface Decision {
  /** The dedupe key of an email to make sure of (sent now, or found sent). */
  mail?: string;
  /** A person a suppressed request created, to delete unless something else holds them. */
  orphanPersonId?: string | null;
  /** Canary alerts to dispatch (a leaked export's address was used: docs/safety.md). */
  alerts?: PendingOutboxEntry[];
}

/**
 * The worker half of every action: one decision per request, the same for every kind.
 *
 *   lock → decided already? → needs no link? → suppressed? → person → daily caps → token +
 *   email row → marked decided; after the commit: the email is sent (its status row is the
 *   send lock) and a person only a suppressed request created is deleted.
 *
 * Safe to run twice and to race the reconciler: the record's lock and its "decided" mark
 * say what was done, and the email's dedupe key makes one email per request, ever.
 */
@Injectable()
export class ActionWorker implements OnModuleInit {
  private readonly logger = new Logger(ActionWorker.name);

  constructor(
    private readonly registry: ActionRegistry,
    private readonly membership: MembershipRepository,
    private readonly messages: EmailMessageRepository,
    private readonly suppressions: SuppressionRepository,
    private readonly tokens: ActionTokenService,
    private readonly mail: TransactionalMailService,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly jobs: JobHandlers,
    private readonly canaries: CanaryService,
  ) {}

  /** Every kind's job, from its spec: the payload carries the record's id only. */
  onModuleInit(): void {
    for (const { spec } of this.registry.all()) {
      this.jobs.register<Record<string, string>>(spec.job.queue, spec.job.name, (data) =>
        this.process(spec.kind, data[spec.record.idParam]),
      );
    }
  }

  async process(kind: string, id: string): Promise<void> {
    const decision = await this.decide(this.registry.get(kind), id);
    if (decision.alerts) this.canaries.dispatch(decision.alerts);
    if (decision.orphanPersonId) await this.membership.deletePersonIfUnused(decision.orphanPersonId);
    if (!decision.mail) return;
    const messageId = await this.messages.findIdByDedupeKey(decision.mail);
    if (messageId) await this.mail.send(messageId);
  }

  private decide(definition: ActionDefinition, id: string): Promise<Decision> {
    const { spec } = definition;
    return this.transactions.run(async (tx): Promise<Decision> => {
      const request = await definition.lockPending(tx, id);
      if (!request) return {};
      if (request.decided) return { mail: request.dedupeKey };
      // A leaked export's canary address: the admins hear of it, and the request goes on as
      // any other (its answer was the usual 202; nothing here tells the sender). A string
      // comparison for every other address.
      const alerts = this.canaries.isCanaryAddress(request.email)
        ? await this.canaries.sighted(tx, request.email, spec.kind as SightingSource, `${request.id}:${request.dedupeKey}`)
        : undefined;
      const decided = await this.decideRequest(definition, tx, request);
      return alerts?.length ? { ...decided, alerts } : decided;
    });
  }

  private async decideRequest(definition: ActionDefinition, tx: EntityManager, request: PendingRequest): Promise<Decision> {
    const { spec } = definition;
    const id = request.id;
    // An erased or complaining address gets nothing, and keeps no stranger-typed details.
    if (request.awaitsLink && (await this.suppressions.isSuppressed(request.email, tx))) {
      return { orphanPersonId: await definition.dropSuppressed(tx, request) };
    }
    const person = request.person ?? (await this.personFor(definition, tx, request));
    // Already going or waitlisted (say): a repeated request changes nothing and mails nothing.
    if (!request.awaitsLink) {
      await definition.markDecided(tx, request, person.id, false);
      return {};
    }
    const mailed = await this.offerLink(tx, definition, request, person, {
      emailKind: spec.emails.confirmation,
      dedupeKey: request.dedupeKey,
    });
    if (!mailed) this.logger.log(`confirmation cap reached; ${spec.kind} ${id} not mailed`);
    await definition.markDecided(tx, request, person.id, mailed);
    return mailed ? { mail: request.dedupeKey } : {};
  }

  /** A kind whose request has no person yet finds or creates them now, under their row lock. */
  private async personFor(
    definition: ActionDefinition,
    tx: EntityManager,
    request: PendingRequest,
  ): Promise<{ id: string; language: string | null }> {
    if (!definition.personFor) throw new Error(`${definition.spec.kind} ${request.id}: a request without a person`);
    const person = await definition.personFor(tx, request);
    // An erasure that committed while we waited for the person's lock would otherwise see
    // its person re-created here. Roll back; the retry finds the suppression first.
    if (await this.suppressions.isSuppressed(request.email, tx)) {
      throw new Error(`${definition.spec.kind} ${request.id}: address suppressed while processing; retrying`);
    }
    return person;
  }

  /**
   * Mails a fresh link about a record unless a daily cap says no: a token of the kind's
   * purpose and the email's row, committed with the caller's transaction (the email is sent
   * after it). Returns false when capped. The decision uses it, and so does a kind's reminder.
   */
  async offerLink(
    tx: EntityManager,
    definition: ActionDefinition,
    record: ActionRecord,
    person: { id: string; language: string | null },
    email: { emailKind: string; dedupeKey: string },
  ): Promise<boolean> {
    const { spec } = definition;
    if (await this.capReached(tx, definition, record.id, person.id)) return false;
    const tokenId = await this.tokens.issue(tx, spec.link.purpose, record.id, person.id, spec.link.ttlDays);
    await this.messages.create(tx, {
      kind: email.emailKind,
      dedupeKey: email.dedupeKey,
      personId: person.id,
      language: resolveLanguage(record.language ?? person.language),
      params: { [spec.record.idParam]: record.id, tokenId },
    });
    return true;
  }

  /**
   * The two daily caps: `CONFIRMATION_EMAILS_PER_DAY` emails about one subject (one record, or
   * the whole kind: every sign-up is the join flow), and `CONFIRMATION_EMAILS_PER_DAY_TOTAL`
   * of every capped kind to the address, whatever they are about. Repeats are what an attacker
   * can multiply; a supporter's first action on each subject must get its link.
   */
  private capReached(tx: EntityManager, definition: ActionDefinition, recordId: string, personId: string): Promise<boolean> {
    const { spec } = definition;
    return this.messages.confirmationCapReached(tx, personId, {
      subjectKinds: [spec.emails.confirmation, ...(spec.emails.alsoCapped ?? [])],
      about: spec.emails.capSubject === 'record' ? { [spec.record.idParam]: recordId } : undefined,
      perSubject: this.config.CONFIRMATION_EMAILS_PER_DAY,
      allKinds: this.registry.cappedEmailKinds(),
      total: this.config.CONFIRMATION_EMAILS_PER_DAY_TOTAL,
    });
  }
}
