import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { resolveLanguage } from '../common/languages';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/database.module';
import { EmailMessageRepository } from '../mail/email-message.repository';
import { SuppressionRepository } from '../mail/suppression.repository';
import { TransactionalMailService } from '../mail/transactional-mail.service';
import { ConfirmationJob, CONFIRMATIONS_QUEUE, ProcessSignaturePayload } from '../queues/confirmations.queue';
import { JobHandlers } from '../queues/job-handlers';
import { CONFIRMATION_EMAIL_KINDS } from '../supporters/process-signup.service';
import { SupportersRepository } from '../supporters/supporters.repository';
import { ActionTokenService } from '../tokens/action-token.service';
import { PetitionsRepository } from './petitions.repository';
import { SIGNATURE_CONFIRMATION_EMAIL, SIGNATURE_REMINDER_EMAIL } from './signature-emails';

const TOKEN_TTL_DAYS = 7;
export const REMINDER_AFTER_HOURS = 24;

/**
 * The worker half of signing. Each signing request (the first, or a repeat) is decided
 * once: suppressed addresses get nothing and leave nothing behind, the per-address daily
 * cap is respected, otherwise a fresh link is mailed. Safe to run twice: the signature row
 * is locked and its `handled_requests` says what was already decided.
 */
@Injectable()
export class ProcessSignatureService implements OnModuleInit {
  private readonly logger = new Logger(ProcessSignatureService.name);

  constructor(
    private readonly petitions: PetitionsRepository,
    private readonly messages: EmailMessageRepository,
    private readonly suppressions: SuppressionRepository,
    private readonly tokens: ActionTokenService,
    private readonly mail: TransactionalMailService,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly jobs: JobHandlers,
    private readonly clock: Clock,
    private readonly supporters: SupportersRepository,
  ) {}

  onModuleInit(): void {
    this.jobs.register<ProcessSignaturePayload>(CONFIRMATIONS_QUEUE, ConfirmationJob.ProcessSignature, (data) =>
      this.process(data.signatureId),
    );
  }

  async process(signatureId: string): Promise<void> {
    const outcome = await this.decide(signatureId);
    if (outcome?.orphanPersonId) await this.supporters.deletePersonIfUnused(outcome.orphanPersonId);
    if (!outcome?.dedupeKey) return;
    const messageId = await this.messages.findIdByDedupeKey(outcome.dedupeKey);
    if (messageId) await this.mail.send(messageId);
  }

  private decide(signatureId: string): Promise<{ dedupeKey?: string; orphanPersonId?: string } | null> {
    return this.transactions.run(async (tx) => {
      const sig = await this.petitions.lockSignature(tx, signatureId);
      if (!sig || sig.status !== 'pending') return null;
      // Already decided (a retried or duplicated job): only make sure its email went out.
      if (sig.handledRequests >= sig.signRequests) return { dedupeKey: `signature:${sig.id}:${sig.handledRequests}` };
      // An erased or complaining address gets nothing, and keeps no stranger-typed details.
      if (await this.suppressions.isSuppressed(sig.personEmail, tx)) {
        const personIsThisRequests = await this.petitions.deleteSignature(tx, sig.id);
        return personIsThisRequests ? { orphanPersonId: sig.personId } : null;
      }
      if (await this.capReached(tx, sig.id, sig.personId)) {
        this.logger.log(`confirmation cap reached; signature ${sig.id} request ${sig.signRequests} not mailed`);
        await this.petitions.markHandled(tx, sig.id, sig.signRequests, false);
        return null;
      }
      const dedupeKey = `signature:${sig.id}:${sig.signRequests}`;
      const tokenId = await this.tokens.issue(tx, 'confirm-signature', sig.id, sig.personId, TOKEN_TTL_DAYS);
      await this.messages.create(tx, {
        kind: SIGNATURE_CONFIRMATION_EMAIL,
        dedupeKey,
        personId: sig.personId,
        language: resolveLanguage(sig.language ?? sig.personLanguage),
        params: { signatureId: sig.id, tokenId },
      });
      await this.petitions.markHandled(tx, sig.id, sig.signRequests, true);
      return { dedupeKey };
    });
  }

  /**
   * One reminder per signature still pending 24 hours after its (last) confirmation email.
   * The conditional `reminded_at` update is the lock: a second run, or a second worker,
   * finds it taken. Returns how many reminders were sent.
   */
  async sendDueReminders(limit = 200): Promise<number> {
    const mailedBefore = new Date(this.clock.now().getTime() - REMINDER_AFTER_HOURS * 3_600_000);
    let sent = 0;
    for (const id of await this.petitions.findDueReminders(mailedBefore, limit)) {
      const dedupeKey = await this.transactions.run(async (tx) => {
        if (!(await this.petitions.claimReminder(tx, id, mailedBefore))) return null;
        const sig = await this.petitions.lockSignature(tx, id);
        if (!sig) return null;
        // Claimed anyway: a suppressed address is never reminded, now or later.
        if (await this.suppressions.isSuppressed(sig.personEmail, tx)) return null;
        // Someone signing a victim's address onto many petitions must not flood it with
        // reminders either: they count toward the same caps as confirmation emails.
        if (await this.capReached(tx, sig.id, sig.personId)) return null;
        const key = `signature-reminder:${sig.id}`;
        const tokenId = await this.tokens.issue(tx, 'confirm-signature', sig.id, sig.personId, TOKEN_TTL_DAYS);
        await this.messages.create(tx, {
          kind: SIGNATURE_REMINDER_EMAIL,
          dedupeKey: key,
          personId: sig.personId,
          language: resolveLanguage(sig.language ?? sig.personLanguage),
          params: { signatureId: sig.id, tokenId },
        });
        return key;
      });
      if (!dedupeKey) continue;
      try {
        const messageId = await this.messages.findIdByDedupeKey(dedupeKey);
        if (messageId && (await this.mail.send(messageId)) === 'sent') sent++;
      } catch (err) {
        // The message row is committed: the mail reconciler sends it later.
        this.logger.warn(`reminder for signature ${id} left for a retry: ${(err as Error).message}`);
      }
    }
    return sent;
  }

  /**
   * The resend cap counts this signature's emails (confirmations and its reminder); the
   * ceiling counts every confirmation email and reminder of the address.
   */
  private capReached(tx: EntityManager, signatureId: string, personId: string): Promise<boolean> {
    return this.messages.confirmationCapReached(tx, personId, {
      subjectKinds: [SIGNATURE_CONFIRMATION_EMAIL, SIGNATURE_REMINDER_EMAIL],
      about: { signatureId },
      perSubject: this.config.CONFIRMATION_EMAILS_PER_DAY,
      allKinds: [...CONFIRMATION_EMAIL_KINDS, SIGNATURE_REMINDER_EMAIL],
      total: this.config.CONFIRMATION_EMAILS_PER_DAY_TOTAL,
    });
  }
}
