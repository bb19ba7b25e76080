import { Injectable, Logger } from '@nestjs/common';
import { BatchOutcome, MicroBatcher } from '../common/micro-batcher';
import { SuppressionRepository } from './suppression.repository';
import { scrubEmails } from '../common/logging';
import { EmailMessageRepository, MAX_SEND_ATTEMPTS } from './email-message.repository';
import { MailerService, PermanentMailError } from './mailer.service';
import { MessageComposerRegistry } from './message-composer.registry';
import { OutcomeRecorder } from './outcome-recorder.service';

/**
 * Sends one stored transactional email at most once: the status lock (pending → sending)
 * decides who sends, a locked message is never taken again, and a sent or failed one is
 * never touched again. Safe to call twice, from any number of workers. The one place a
 * message is marked sending and sent (src/mail/README.md).
 */
@Injectable()
export class TransactionalMailService {
  private readonly logger = new Logger(TransactionalMailService.name);
  /**
   * The send locks of the messages being sent at once, taken in one statement and one commit
   * (group commit: a burst of confirmations is a commit per batch, not per message). Each
   * message still gets its own answer: the lock, or not.
   */
  private readonly locks = new MicroBatcher<string, boolean>({
    run: (ids) => this.lockTogether(ids),
    maxBatch: 500,
    maxInFlight: 2,
  });

  constructor(
    private readonly messages: EmailMessageRepository,
    private readonly composers: MessageComposerRegistry,
    private readonly mailer: MailerService,
    private readonly suppressions: SuppressionRepository,
    private readonly outcomes: OutcomeRecorder,
  ) {}

  async send(messageId: string): Promise<'sent' | 'skipped' | 'failed'> {
    // Everything that only reads comes before the lock, so a failure there leaves the
    // message pending for the retry instead of locked by nobody.
    const message = await this.messages.findSendable(messageId);
    if (!message) return 'skipped';
    if (message.attempts >= MAX_SEND_ATTEMPTS) {
      await this.messages.markFailed(messageId, `gave up after ${message.attempts} attempts`);
      return 'failed';
    }
    const email = await this.composers.get(message.kind).compose(message);
    if (!email) {
      await this.messages.markFailed(messageId, 'nothing to send');
      return 'failed';
    }
    if (await this.suppressions.isSuppressed(email.to)) {
      await this.messages.markFailed(messageId, 'suppressed');
      return 'failed';
    }
    if (!(await this.locks.submit(messageId))) return 'skipped';

    // From here the row says `sending` until the outcome is written, and a `sending` row is
    // never taken again: whatever happens to this worker, the message goes out at most once.
    let sent;
    try {
      sent = await this.mailer.send(email);
    } catch (err) {
      const reason = scrubEmails((err as Error).message);
      if (err instanceof PermanentMailError) {
        this.logger.warn(`message ${messageId} refused permanently: ${reason}`);
        await this.outcomes.record({ id: messageId, status: 'failed', at: new Date(), error: reason });
        return 'failed';
      }
      // Not sent: the lock is given back, and the job's retry (or the reconciler) sends it.
      await this.outcomes.record({ id: messageId, status: 'pending', at: new Date(), error: reason });
      throw err;
    }
    // The message is out. Recording it waits for PostgreSQL as long as it takes (parked in
    // memory, the job done); were that knowledge lost, the row stays `sending` and is settled
    // as sent, uncertain: never a second copy.
    await this.outcomes.record({ id: messageId, status: 'sent', at: new Date(), providerMessageId: sent.messageId });
    return 'sent';
  }

  private async lockTogether(ids: string[]): Promise<Array<BatchOutcome<boolean>>> {
    const locked = await this.messages.lockManyForSending([...new Set(ids)]);
    // The same message asked for twice in one batch: only the first asker holds its lock.
    const given = new Set<string>();
    return ids.map((id) => {
      const mine = locked.has(id) && !given.has(id);
      if (mine) given.add(id);
      return { value: mine };
    });
  }
}
