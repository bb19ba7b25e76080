import { Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * A job that runs every few seconds inside a worker (relay sweeps, reconcilers). One run at
 * a time; on shutdown no new run starts and the current one is awaited, and long runs
 * should check `stopping` between items so shutdown stays quick.
 */
export abstract class PeriodicTask implements OnApplicationBootstrap, OnApplicationShutdown {
  protected abstract readonly everyMs: number;
  protected readonly firstRunAfterMs: number = 0;
  protected readonly logger = new Logger(this.constructor.name);
  protected stopping = false;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  /** One pass; public so tests can drive it without waiting for the timer. */
  abstract runOnce(): Promise<unknown>;

  onApplicationBootstrap(): void {
    this.schedule(this.firstRunAfterMs);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce()
        .then(() => undefined)
        .catch((err: Error) => this.logger.warn(`run failed, will retry: ${err.message}`))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.everyMs);
        });
    }, delay);
  }
}

/** Logs a repeating condition (Redis away...) once per interval instead of on every retry. */
export class LogThrottle {
  private last = 0;
  constructor(private readonly everyMs = 60_000) {}

  shouldLog(): boolean {
    if (Date.now() - this.last < this.everyMs) return false;
    this.last = Date.now();
    return true;
  }
}

/**
 * A periodic pass over records whose job should have run long ago: each is handled on its
 * own, so one that keeps failing cannot hold up the rest, and shutdown stops between items.
 */
export abstract class StaleRecordsReconciler extends PeriodicTask {
  protected readonly everyMs = 30_000;
  protected override readonly firstRunAfterMs = 30_000;
  /** What the records are, for log lines ("sign-up", "email"). */
  protected abstract readonly noun: string;

  protected abstract findStale(olderThanSeconds: number): Promise<string[]>;
  /** Returns whether the record needed (and got) work. */
  protected abstract handle(id: string): Promise<boolean>;

  async runOnce(olderThanSeconds = 120): Promise<number> {
    let count = 0;
    for (const id of await this.findStale(olderThanSeconds)) {
      if (this.stopping) break;
      try {
        if (await this.handle(id)) count++;
      } catch (err) {
        this.logger.warn(`${this.noun} ${id} still not done: ${(err as Error).message}`);
      }
    }
    if (count > 0) this.logger.warn(`handled ${count} ${this.noun}(s) whose job never finished`);
    return count;
  }
}
