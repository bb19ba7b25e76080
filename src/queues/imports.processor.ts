import { Processor } from '@nestjs/bullmq';
import { IMPORTS_QUEUE, ImportJobName } from './imports.queue';
import { JobHandlers } from './job-handlers';
import { QueueConsumer } from './queue-consumer';

/**
 * Consumer of the imports queue (worker process only): one import at a time per worker
 * (each holds a database transaction per 500 lines and a parser), a short lock so a dead
 * worker's job is noticed in seconds.
 */
@Processor(IMPORTS_QUEUE, { autorun: false, lockDuration: 30_000, stalledInterval: 15_000, maxStalledCount: 100 })
export class ImportsProcessor extends QueueConsumer {
  protected readonly queueName = IMPORTS_QUEUE;
  protected readonly jobNames = Object.values(ImportJobName);

  constructor(handlers: JobHandlers) {
    super(handlers, 1);
  }
}
