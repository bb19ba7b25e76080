import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxRepository } from './outbox.repository';

const SWEEP_EVERY_MS = 1_000;
/** Leave fresh entries to the API's fast path for a moment. */
const GRACE_MS = 1_500;

/**
 * Runs in the worker: re-drives every outbox entry the API could not enqueue (Redis down,
 * API killed between commit and enqueue). Several workers may sweep at once; job ids
 * make that harmless.
 */
@Injectable()
export class OutboxSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxSweeper.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private lastPurge = 0;
  private failing = false;

  constructor(
    private readonly relay: OutboxRelay,
    private readonly outbox: OutboxRepository,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.sweep().finally(() => this.schedule(SWEEP_EVERY_MS));
    }, delay);
  }

  /** One pass; public so tests can drive it without waiting. */
  async sweep(): Promise<void> {
    try {
      let dispatched: number;
      do {
        dispatched = await this.relay.dispatch({ olderThanMs: GRACE_MS, limit: 1_000 });
        if (dispatched > 0) this.logger.log(`re-drove ${dispatched} outbox entries`);
      } while (dispatched === 1_000 && !this.stopped);
      if (this.failing) this.logger.log('outbox relay recovered');
      this.failing = false;
      if (Date.now() - this.lastPurge > 3_600_000) {
        this.lastPurge = Date.now();
        await this.outbox.purgeDispatched(7);
      }
    } catch (err) {
      if (!this.failing) this.logger.warn(`outbox sweep failed, will retry: ${(err as Error).message}`);
      this.failing = true;
    }
  }
}
