import { Injectable } from '@nestjs/common';
import { StaleRecordsReconciler } from '../common/periodic-task';
import { EmailMessageRepository } from './email-message.repository';
import { TransactionalMailService } from './transactional-mail.service';

/**
 * Sends transactional emails left pending long after their job should have run (after
 * MAX_SEND_ATTEMPTS a message is marked failed), and settles those left `sending` by a
 * sender that never said what SMTP answered: as sent, uncertain, never sent again.
 */
@Injectable()
export class MailReconciler extends StaleRecordsReconciler {
  protected readonly noun = 'email';

  constructor(
    private readonly messages: EmailMessageRepository,
    private readonly mail: TransactionalMailService,
  ) {
    super();
  }

  override async runOnce(olderThanSeconds = 120): Promise<number> {
    const settled = await this.messages.settleAbandoned();
    if (settled > 0)
      this.logger.warn(
        `settled ${settled} email(s) whose sender stopped after taking the lock: counted as sent (uncertain), not sent again`,
      );
    return settled + (await super.runOnce(olderThanSeconds));
  }

  protected findStale(olderThanSeconds: number): Promise<string[]> {
    return this.messages.findStalePending(olderThanSeconds, 200);
  }

  protected async handle(id: string): Promise<boolean> {
    return (await this.mail.send(id)) !== 'skipped';
  }
}
