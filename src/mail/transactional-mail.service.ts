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
    // Everything that only reads comes before the lock, so a failure there leaves the
    // message pending for the retry instead of locked by nobody.
    const message = await this.messages.findSendable(messageId);
    if (!message) return 'skipped';
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
        this.logger.warn(`message ${messageId} refused permanently: ${err.message}`);
        await persist(() => this.messages.markFailed(messageId, err.message));
        return 'failed';
      }
      await persist(() => this.messages.release(messageId, (err as Error).message));
      throw err;
    }
    // The message is out: recording it must survive a database blink, or the expired lock
    // would later send it again.
    await persist(() => this.messages.markSent(messageId, sent.messageId)).catch((err: Error) => {
      this.logger.error(`message ${messageId} was sent but could not be marked sent: ${err.message}`);
      throw err;
    });
    return 'sent';
  }
}

/** Retries a small write for a few seconds: PostgreSQL restarts and failovers are brief. */
async function persist(write: () => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (attempt >= 8) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
    }
  }
}
