import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { withTimeout } from '../common/async.util';
import { LogThrottle } from '../common/periodic-task';
import { DeliverWebhookPayload, WebhookJob, webhookJobId, WEBHOOKS_QUEUE } from '../queues/webhooks.queue';
import type { DueDelivery } from './webhooks.repository';

const ENQUEUE_TIMEOUT_MS = 3_000;

/**
 * Puts delivery attempts on the webhooks queue, best effort: the deliveries are rows in
 * PostgreSQL, and `WebhookSweeper` enqueues whatever is due and not on the queue. Job ids are
 * `webhook-<delivery>-<attempt>`, so enqueueing an attempt twice while it waits adds one job;
 * jobs are removed once they ran, so an attempt the handler left undone (held behind an
 * earlier delivery, leased by a killed worker) can be enqueued again.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly errors = new LogThrottle();

  constructor(@InjectQueue(WEBHOOKS_QUEUE) private readonly queue: Queue) {
    this.queue.on('error', (err) => {
      if (this.errors.shouldLog()) this.logger.warn(`queue connection: ${err.message} (deliveries wait in PostgreSQL)`);
    });
  }

  /** Throws when Redis is away (callers that must not fail use `enqueueSoon`). */
  async enqueue(due: DueDelivery[]): Promise<void> {
    if (due.length === 0) return;
    const client = await withTimeout(this.queue.getBackend().client, ENQUEUE_TIMEOUT_MS, 'Redis connection');
    if (client.status !== 'ready') throw new Error(`Redis is ${client.status}`);
    const now = Date.now();
    await withTimeout(
      this.queue.addBulk(
        due.map((d) => {
          const data: DeliverWebhookPayload = { deliveryId: d.deliveryId, attempt: d.attempt };
          const delay = Math.max(0, new Date(d.nextAttemptAt).getTime() - now);
          // Retries are the delivery row's (its schedule, its attempts), not BullMQ's.
          return {
            name: WebhookJob.Deliver,
            data,
            opts: { jobId: webhookJobId.deliver(data), delay, attempts: 1, removeOnComplete: true, removeOnFail: true },
          };
        }),
      ),
      ENQUEUE_TIMEOUT_MS,
      'enqueue',
    );
  }

  /** Never throws: what could not be enqueued is the sweeper's. */
  async enqueueSoon(due: DueDelivery[]): Promise<void> {
    await this.enqueue(due).catch((err: Error) => {
      if (this.errors.shouldLog()) this.logger.warn(`deliveries left for the sweeper: ${err.message}`);
    });
  }

  async enqueueEmail(messageId: string): Promise<void> {
    await withTimeout(
      this.queue.add(WebhookJob.SendEmail, { messageId }, { jobId: webhookJobId.sendEmail(messageId) }),
      ENQUEUE_TIMEOUT_MS,
      'enqueue',
    ).catch((err: Error) => this.logger.warn(`webhook email left for the mail reconciler: ${err.message}`));
  }
}
