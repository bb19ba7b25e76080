import { Injectable, Logger } from '@nestjs/common';
import { SuppressionRepository } from './suppression.repository';
import { EmailMessageRepository } from './email-message.repository';
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
    const message = await this.messages.lockForSending(messageId);
    if (!message) return 'skipped';
    let email;
    try {
      email = await this.composers.get(message.kind).compose(message);
    } catch (err) {
      await this.messages.release(messageId, (err as Error).message);
      throw err;
    }
    if (!email) {
      await this.messages.markFailed(messageId, 'nothing to send');
      return 'failed';
    }
    if (await this.suppressions.isSuppressed(email.to)) {
      await this.messages.markFailed(messageId, 'suppressed');
      return 'failed';
    }
    try {
      const sent = await this.mailer.send(email);
      await this.messages.markSent(messageId, sent.messageId);
      return 'sent';
    } catch (err) {
      if (err instanceof PermanentMailError) {
        this.logger.warn(`message ${messageId} refused permanently: ${err.message}`);
        await this.messages.markFailed(messageId, err.message);
        return 'failed';
      }
      await this.messages.release(messageId, (err as Error).message);
      throw err;
    }
  }
}
