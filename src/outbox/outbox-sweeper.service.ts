import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxRepository } from './outbox.repository';

/** Leave fresh entries to the API's fast path for a moment. */
const GRACE_MS = 1_500;
const BATCH = 1_000;
/**
 * After Redis comes back, entries dispatched this long before it was lost are enqueued
 * again: their jobs (queued, retrying with backoff, in flight) may have gone with it. Older
 * work left undone is the reconcilers' and the mailings scheduler's.
 */
const REDRIVE_LOOKBACK_MS = 15 * 60_000;
const REDRIVE_LIMIT = 50_000;

/**
 * Runs in the worker: re-drives every outbox entry the API could not enqueue (Redis down,
 * API killed between commit and enqueue), and once Redis is back after being lost, the
 * recent entries whose jobs it may have lost with it. Several workers may sweep at once;
 * job ids make that harmless.
 */
@Injectable()
export class OutboxSweeper extends PeriodicTask {
  protected readonly everyMs = 1_000;
  private lastPurge = 0;
  private failing = false;
  /** When Redis was lost, set once it is back: the next pass re-drives what it may have lost. */
  private redriveFrom?: number;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly outbox: OutboxRepository,
  ) {
    super();
    relay.onReconnect((lostAt) => (this.redriveFrom = Math.min(this.redriveFrom ?? lostAt, lostAt)));
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
      if (this.redriveFrom !== undefined) await this.redriveAfterReconnect(this.redriveFrom);
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

  /** Cleared first, so a reconnect during the pass asks for another; restored when it fails. */
  private async redriveAfterReconnect(lostAt: number): Promise<void> {
    this.redriveFrom = undefined;
    try {
      const since = new Date(lostAt - REDRIVE_LOOKBACK_MS);
      const n = await this.relay.redispatchSince(since, REDRIVE_LIMIT);
      this.logger.log(`Redis is back: enqueued again ${n} outbox entries dispatched since ${since.toISOString()}`);
    } catch (err) {
      this.redriveFrom = Math.min(this.redriveFrom ?? lostAt, lostAt);
      throw err;
    }
  }
}
