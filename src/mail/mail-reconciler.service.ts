import { Injectable } from '@nestjs/common';
import { StaleRecordsReconciler } from '../common/periodic-task';
import { EmailMessageRepository } from './email-message.repository';
import { TransactionalMailService } from './transactional-mail.service';

/**
 * Sends transactional emails left pending long after their job should have run, or left
 * `sending` by a worker that died; after MAX_SEND_ATTEMPTS a message is marked failed.
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

  protected findStale(olderThanSeconds: number): Promise<string[]> {
    return this.messages.findStalePending(olderThanSeconds, 200);
  }

  protected async handle(id: string): Promise<boolean> {
    return (await this.mail.send(id)) !== 'skipped';
  }
}
