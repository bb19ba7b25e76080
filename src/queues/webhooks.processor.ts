import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../config/app-config';
import { JobHandlers } from './job-handlers';
import { QueueConsumer } from './queue-consumer';
import { WebhookJob, WEBHOOKS_QUEUE } from './webhooks.queue';

/**
 * Consumer of the webhooks queue (worker process only). A short job lock, so a delivery
 * whose worker was killed is taken over in seconds (the delivery's own lease in PostgreSQL
 * keeps the take-over from sending while the first attempt may still be on the wire).
 */
@Processor(WEBHOOKS_QUEUE, { autorun: false, lockDuration: 15_000, stalledInterval: 5_000, maxStalledCount: 100 })
export class WebhooksProcessor extends QueueConsumer {
  protected readonly queueName = WEBHOOKS_QUEUE;
  protected readonly jobNames = Object.values(WebhookJob);

  constructor(handlers: JobHandlers, config: AppConfig) {
    super(handlers, config.WORKER_CONCURRENCY);
  }
}
