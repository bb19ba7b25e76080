import { Processor } from '@nestjs/bullmq';
import { AppConfig } from '../config/app-config';
import { EVENT_REMINDERS_QUEUE, EventReminderJob } from '../queues/event-reminders.queue';
import { JobHandlers } from '../queues/job-handlers';
import { QueueConsumer } from '../queues/queue-consumer';

/** Consumer of the event-reminders queue (worker process only). */
@Processor(EVENT_REMINDERS_QUEUE, { autorun: false })
export class EventRemindersProcessor extends QueueConsumer {
  protected readonly queueName = EVENT_REMINDERS_QUEUE;
  protected readonly jobNames = Object.values(EventReminderJob);

  constructor(handlers: JobHandlers, config: AppConfig) {
    super(handlers, config.WORKER_CONCURRENCY);
  }
}
