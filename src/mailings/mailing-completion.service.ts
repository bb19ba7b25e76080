import { Injectable, Logger } from '@nestjs/common';
import { ChangeFeed } from '../changes/change-feed.service';
import { TransactionRunner } from '../database/database.module';
import { MailingsRepository } from './mailings.repository';

/** A sending mailing whose every delivery is settled becomes sent, once, with its `mailing.sent` change in the same transaction. */
@Injectable()
export class MailingCompletion {
  private readonly logger = new Logger(MailingCompletion.name);

  constructor(
    private readonly mailings: MailingsRepository,
    private readonly transactions: TransactionRunner,
    private readonly changes: ChangeFeed,
  ) {}

  async finishIfDone(mailingId: string): Promise<boolean> {
    const finished = await this.transactions.run(async (tx) => {
      if (!(await this.mailings.finishIfDone(tx, mailingId))) return false;
      await this.changes.record(tx, 'mailing.sent', { mailingId });
      return true;
    });
    if (finished) this.logger.log(`mailing ${mailingId} sent`);
    return finished;
  }
}
