import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/database.module';
import { ChangeFeed } from './change-feed.service';
import { ChangesRepository } from './changes.repository';

const BATCH = 500;

/**
 * Runs in the worker: publishes committed changes to the feed's subscribers, oldest first,
 * one publisher at a time (an advisory lock: two workers never publish out of order), then
 * purges the feed's old history. Needs only PostgreSQL, so changes committed while Redis
 * was down are published all the same.
 */
@Injectable()
export class ChangeFeedRelay extends PeriodicTask {
  protected readonly everyMs = 500;
  private lastPurge = 0;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly changes: ChangesRepository,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
  ) {
    super();
  }

  /** Publishes until nothing is left (or another worker holds the lock); returns how many. */
  async runOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const after: Array<() => Promise<void>> = [];
      const published = await this.transactions.run(async (tx) => {
        const batch = await this.changes.claimUnpublished(tx, BATCH);
        if (!batch || batch.length === 0) return 0;
        for (const subscriber of this.feed.all()) {
          const then = await subscriber.accept(tx, batch);
          if (then) after.push(then);
        }
        await this.changes.markPublished(
          tx,
          batch.map((c) => c.id),
        );
        return batch.length;
      });
      for (const then of after) await then().catch((err: Error) => this.logger.warn(`after publishing: ${err.message}`));
      total += published;
      if (published < BATCH || this.stopping) break;
    }
    if (Date.now() - this.lastPurge > 3_600_000) {
      this.lastPurge = Date.now();
      await this.changes.purgePublished(this.config.CHANGE_FEED_RETENTION_DAYS);
    }
    return total;
  }
}
