import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { PeriodicTask } from '../common/periodic-task';
import { TransactionRunner } from '../database/database.module';
import { EmailMessageRepository } from '../mail/email-message.repository';
import { SuppressionRepository } from '../mail/suppression.repository';
import { TransactionalMailService } from '../mail/transactional-mail.service';
import { ActionWorker } from '../actions/action-worker.service';
import { PetitionsRepository } from './petitions.repository';
import { SignatureAction, SignatureEmail, signatureRecord } from './signature.definition';

export const REMINDER_AFTER_HOURS = 24;

/**
 * Sends the one reminder to signers who have not confirmed 24 hours after their (last)
 * confirmation email, checked every minute. The conditional `reminded_at` update is the lock:
 * a second run, or a second worker, finds it taken. The reminder's link is a fresh one of the
 * signature's kind, offered through the same caps as every confirmation email.
 */
@Injectable()
export class SignatureRemindersTask extends PeriodicTask {
  protected readonly everyMs = 60_000;
  protected override readonly firstRunAfterMs = 10_000;

  constructor(
    private readonly petitions: PetitionsRepository,
    private readonly signatures: SignatureAction,
    private readonly worker: ActionWorker,
    private readonly messages: EmailMessageRepository,
    private readonly suppressions: SuppressionRepository,
    private readonly mail: TransactionalMailService,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {
    super();
  }

  /** Sends the reminders that are due; returns how many went out. */
  async runOnce(limit = 200): Promise<number> {
    const mailedBefore = new Date(this.clock.now().getTime() - REMINDER_AFTER_HOURS * 3_600_000);
    let sent = 0;
    for (const id of await this.petitions.findDueReminders(mailedBefore, limit)) {
      const dedupeKey = await this.transactions.run(async (tx) => {
        if (!(await this.petitions.claimReminder(tx, id, mailedBefore))) return null;
        const signature = await this.petitions.lockSignature(tx, id);
        if (!signature) return null;
        // Claimed anyway: a suppressed address is never reminded, now or later.
        if (await this.suppressions.isSuppressed(signature.personEmail, tx)) return null;
        const key = `signature-reminder:${signature.id}`;
        const person = { id: signature.personId, language: signature.personLanguage };
        const offered = await this.worker.offerLink(tx, this.signatures, signatureRecord(signature), person, {
          emailKind: SignatureEmail.Reminder,
          dedupeKey: key,
        });
        return offered ? key : null;
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
}
