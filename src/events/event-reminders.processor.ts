import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../config/app-config';
import { EVENT_REMINDERS_QUEUE } from '../queues/event-reminders.queue';
import { JobHandlers } from '../queues/job-handlers';
import { QueueConsumer } from '../queues/queue-consumer';

/** Consumer of the event-reminders queue (worker process only). */
@Processor(EVENT_REMINDERS_QUEUE)
export class EventRemindersProcessor extends QueueConsumer {
  protected readonly queueName = EVENT_REMINDERS_QUEUE;

  constructor(handlers: JobHandlers, config: AppConfig) {
    super(handlers, config.WORKER_CONCURRENCY);
  }
}
