import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ConnectionOptions, Queue } from 'bullmq';
import { AppConfig } from '../config/app-config';
import { CONFIRMATION_JOB_PRIORITY, CONFIRMATIONS_QUEUE } from './confirmations.queue';
import { EVENT_REMINDERS_QUEUE } from './event-reminders.queue';
import { IMPORTS_QUEUE } from './imports.queue';
import { JobHandlers } from './job-handlers';
import { MAILINGS_QUEUE } from './mailings.queue';
import { BULLMQ_CONNECTION, BullConnectionModule } from './redis.module';
import { WEBHOOKS_QUEUE } from './webhooks.queue';

/**
 * BullMQ prints connection errors to the console when a queue has no 'error' listener yet,
 * which is the case between its creation and the moment its users subscribe. The owners of
 * each queue log those errors (throttled); this keeps the console for logs.
 */
class ListenedQueue extends Queue {
  constructor(...args: ConstructorParameters<typeof Queue>) {
    super(...args);
    this.on('error', () => undefined);
  }
}
BullModule.queueClass = ListenedQueue;

/** Every queue the platform knows, for producers (API, relay) and consumers (worker) alike. */
export const ALL_QUEUES = [CONFIRMATIONS_QUEUE, EVENT_REMINDERS_QUEUE, MAILINGS_QUEUE, WEBHOOKS_QUEUE, IMPORTS_QUEUE] as const;

const PRIORITIES: Record<string, Partial<Record<string, number>>> = { [CONFIRMATIONS_QUEUE]: CONFIRMATION_JOB_PRIORITY };

/** A job's BullMQ priority on its queue (undefined: none, taken before every prioritized job). */
export function jobPriority(queue: string, jobName: string): number | undefined {
  return PRIORITIES[queue]?.[jobName];
}

@Global()
@Module({
  imports: [
    DiscoveryModule,
    BullModule.forRootAsync({
      imports: [BullConnectionModule],
      inject: [AppConfig, BULLMQ_CONNECTION],
      useFactory: (config: AppConfig, connection: ConnectionOptions) => ({
        connection,
        prefix: config.QUEUE_PREFIX,
        defaultJobOptions: {
          attempts: 8,
          backoff: { type: 'exponential', delay: 2_000 },
          // Completed jobs stay a while so a re-driven duplicate (same job id) is ignored.
          removeOnComplete: { age: 3_600, count: 50_000 },
          removeOnFail: { age: 7 * 24 * 3_600 },
        },
      }),
    }),
    BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name }))),
  ],
  providers: [JobHandlers],
  exports: [BullModule, JobHandlers],
})
export class QueuesModule {}
