import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { CONFIRMATIONS_QUEUE } from './confirmations.queue';

/** Every queue the platform knows, for producers (API, relay) and consumers (worker) alike. */
export const ALL_QUEUES = [CONFIRMATIONS_QUEUE] as const;

@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.REDIS_URL },
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
  exports: [BullModule],
})
export class QueuesModule {}
