import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../config/app-config';
import { JobHandlers } from './job-handlers';
import { MAILINGS_QUEUE, MailingJob } from './mailings.queue';
import { QueueConsumer } from './queue-consumer';

/**
 * Consumer of the mailings queue (worker process only). A short job lock: when a worker
 * dies mid-batch, another worker takes the batch over within seconds, not half a minute.
 */
@Processor(MAILINGS_QUEUE, { autorun: false, lockDuration: 10_000, stalledInterval: 5_000, maxStalledCount: 100 })
export class MailingsProcessor extends QueueConsumer {
  protected readonly queueName = MAILINGS_QUEUE;
  protected readonly jobNames = Object.values(MailingJob);

  constructor(handlers: JobHandlers, config: AppConfig) {
    super(handlers, config.MAILING_CONCURRENCY);
  }
}
