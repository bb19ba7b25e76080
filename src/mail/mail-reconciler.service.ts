import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { EmailMessageRepository } from './email-message.repository';
import { TransactionalMailService } from './transactional-mail.service';

const STALE_SECONDS = 120;

/**
 * Sends transactional emails left pending long after their job should have run, or left
 * `sending` by a worker that died. Each message is tried on its own, so one that keeps
 * failing cannot hold up the rest; after MAX_SEND_ATTEMPTS it is marked failed.
 */
@Injectable()
export class MailReconciler extends PeriodicTask {
  protected readonly everyMs = 30_000;
  protected override readonly firstRunAfterMs = 30_000;

  constructor(
    private readonly messages: EmailMessageRepository,
    private readonly mail: TransactionalMailService,
  ) {
    super();
  }

  async runOnce(staleSeconds = STALE_SECONDS): Promise<number> {
    let count = 0;
    for (const id of await this.messages.findStalePending(staleSeconds, 200)) {
      if (this.stopping) break;
      try {
        if ((await this.mail.send(id)) !== 'skipped') count++;
      } catch (err) {
        this.logger.warn(`email ${id} still not sent: ${(err as Error).message}`);
      }
    }
    if (count > 0) this.logger.warn(`handled ${count} email(s) whose job never finished`);
    return count;
  }
}
