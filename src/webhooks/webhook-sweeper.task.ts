import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhooksRepository } from './webhooks.repository';

/** Leave a just-due attempt to the job already scheduled for it for a moment. */
const GRACE_SECONDS = 2;
const BATCH = 500;

/**
 * Runs in the worker: enqueues every delivery attempt that is due and not leased (its job
 * lost with a Redis restarted empty, never enqueued because Redis was down, or left by a
 * killed worker whose lease ran out), skipping those held behind an earlier delivery about
 * the same person. Several workers may sweep at once: job ids make that harmless. Hourly,
 * it purges finished deliveries older than CHANGE_FEED_RETENTION_DAYS.
 */
@Injectable()
export class WebhookSweeper extends PeriodicTask {
  protected readonly everyMs = 2_000;
  private lastPurge = 0;
  private failing = false;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly config: AppConfig,
  ) {
    super();
  }

  async runOnce(): Promise<number> {
    const due = await this.webhooks.findDue(GRACE_SECONDS, BATCH);
    try {
      await this.dispatcher.enqueue(due);
      if (this.failing) this.logger.log('webhook deliveries are being enqueued again');
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.logger.warn(`webhook sweep could not enqueue, will retry: ${(err as Error).message}`);
      this.failing = true;
      return 0;
    }
    if (Date.now() - this.lastPurge > 3_600_000) {
      this.lastPurge = Date.now();
      await this.webhooks.purgeFinished(this.config.CHANGE_FEED_RETENTION_DAYS);
    }
    return due.length;
  }
}
