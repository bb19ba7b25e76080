import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../config/app-config';
import { CONFIRMATIONS_QUEUE, ConfirmationJob } from './confirmations.queue';
import { JobHandlers } from './job-handlers';
import { QueueConsumer } from './queue-consumer';

/** Consumer of the confirmations queue (worker process only). */
@Processor(CONFIRMATIONS_QUEUE, { autorun: false })
export class ConfirmationsProcessor extends QueueConsumer {
  protected readonly queueName = CONFIRMATIONS_QUEUE;
  protected readonly jobNames = Object.values(ConfirmationJob);

  constructor(handlers: JobHandlers, config: AppConfig) {
    super(handlers, config.WORKER_CONCURRENCY);
  }
}
