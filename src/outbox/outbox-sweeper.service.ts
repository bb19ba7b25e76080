import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxRepository } from './outbox.repository';

/** Leave fresh entries to the API's fast path for a moment. */
const GRACE_MS = 1_500;
const BATCH = 1_000;

/**
 * Runs in the worker: re-drives every outbox entry the API could not enqueue (Redis down,
 * API killed between commit and enqueue). Several workers may sweep at once; job ids
 * make that harmless.
 */
@Injectable()
export class OutboxSweeper extends PeriodicTask {
  protected readonly everyMs = 1_000;
  private lastPurge = 0;
  private failing = false;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly outbox: OutboxRepository,
  ) {
    super();
  }

  async runOnce(): Promise<number> {
    let total = 0;
    try {
      let dispatched: number;
      do {
        dispatched = await this.relay.dispatch({ olderThanMs: GRACE_MS, limit: BATCH });
        total += dispatched;
      } while (dispatched === BATCH && !this.stopping);
      if (total > 0) this.logger.log(`re-drove ${total} outbox entries`);
      if (this.failing) this.logger.log('outbox relay recovered');
      this.failing = false;
    } catch (err) {
      // Expected while Redis is away: say it once, not every second.
      if (!this.failing) this.logger.warn(`outbox sweep failed, will retry: ${(err as Error).message}`);
      this.failing = true;
    }
    if (Date.now() - this.lastPurge > 3_600_000) {
      this.lastPurge = Date.now();
      await this.outbox.purgeDispatched(7);
    }
    return total;
  }
}
