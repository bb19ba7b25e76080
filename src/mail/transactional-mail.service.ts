import { Injectable, Logger } from '@nestjs/common';
import { SuppressionRepository } from './suppression.repository';
import { retryBriefly } from '../common/async.util';
import { scrubEmails } from '../common/logging';
import { EmailMessageRepository, MAX_SEND_ATTEMPTS } from './email-message.repository';
import { MailerService, PermanentMailError } from './mailer.service';
import { MessageComposerRegistry } from './message-composer.registry';

/**
 * Sends one stored transactional email at most once: the status lock decides who sends,
 * and a sent or failed message is never touched again. Safe to call twice, from any
 * number of workers.
 */
@Injectable()
export class TransactionalMailService {
  private readonly logger = new Logger(TransactionalMailService.name);

  constructor(
    private readonly messages: EmailMessageRepository,
    private readonly composers: MessageComposerRegistry,
    private readonly mailer: MailerService,
    private readonly suppressions: SuppressionRepository,
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
    if (!(await this.messages.lockForSending(messageId))) return 'skipped';

    let sent;
    try {
      sent = await this.mailer.send(email);
    } catch (err) {
      if (err instanceof PermanentMailError) {
        const reason = scrubEmails(err.message);
        this.logger.warn(`message ${messageId} refused permanently: ${reason}`);
        await retryBriefly(() => this.messages.markFailed(messageId, reason));
        return 'failed';
      }
      await retryBriefly(() => this.messages.release(messageId, scrubEmails((err as Error).message)));
      throw err;
    }
    // The message is out: recording it must survive a database blink, or the expired lock
    // would later send it again.
    await retryBriefly(() => this.messages.markSent(messageId, sent.messageId)).catch((err: Error) => {
      this.logger.error(`message ${messageId} was sent but could not be marked sent: ${err.message}`);
      throw err;
    });
    return 'sent';
  }
}
