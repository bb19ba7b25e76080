import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import type { ConnectionOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import { LogThrottle } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { evictionPolicyProblem } from './redis-preflight';
import { createRedisClient } from './redis-options';
import type { RedisClient } from './redis-options';

/** The shared client for health checks, rate limits and counters: a `RedisClient` (one node, or a Cluster). */
export const REDIS = Symbol('REDIS');
/** BullMQ's connection: REDIS_URL's options, or one Cluster client shared by every queue and worker. */
export const BULLMQ_CONNECTION = Symbol('BULLMQ_CONNECTION');

/**
 * Watches the shared client: connection errors are logged once a minute (an outage is
 * handled, not news every second), and every (re)connection re-checks that Redis may not
 * evict jobs, since a Redis that was down at start, or came back with another config, was
 * never checked by the preflight.
 */
@Injectable()
class RedisWatcher implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  private readonly errors = new LogThrottle();

  constructor(@Inject(REDIS) private readonly redis: RedisClient) {
    redis.on('error', (err: Error) => {
      if (this.errors.shouldLog()) this.logger.warn(`connection: ${err.message}`);
    });
    redis.on('ready', () => {
      evictionPolicyProblem(redis)
        .then((problem) => {
          if (!problem) return;
          // Whatever the log level, this line must be seen.
          process.stderr.write(`refusing to run: ${problem.message}\n`);
          process.exit(78);
        })
        .catch((err: Error) => this.logger.warn(`could not read maxmemory-policy: ${err.message}`));
    });
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      // Health checks and rate limits must answer fast or fail: no offline queue, short timeout.
      useFactory: (config: AppConfig): RedisClient =>
        createRedisClient(config, { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 }),
    },
    RedisWatcher,
  ],
  exports: [REDIS],
})
export class RedisModule {}

/**
 * Owns the Cluster client BullMQ shares when REDIS_CLUSTER_NODES is set (BullMQ builds a
 * Cluster only from a client, never from options; its workers duplicate it for their
 * blocking commands). Imported only by BullModule's root configuration, so Nest shuts it
 * down after the queues and workers that use it (shutdown hooks run from the root down).
 */
@Injectable()
class BullConnectionOwner implements OnApplicationShutdown {
  readonly connection: ConnectionOptions;

  constructor(config: AppConfig) {
    // Workers block on BZPOPMIN: BullMQ needs maxRetriesPerRequest null on their connections.
    this.connection = config.redisClusterNodes ? createRedisClient(config, { maxRetriesPerRequest: null }) : { url: config.REDIS_URL };
  }

  onApplicationShutdown(): void {
    if (this.connection instanceof Cluster) this.connection.disconnect();
  }
}

@Module({
  providers: [
    BullConnectionOwner,
    { provide: BULLMQ_CONNECTION, inject: [BullConnectionOwner], useFactory: (o: BullConnectionOwner) => o.connection },
  ],
  exports: [BULLMQ_CONNECTION],
})
export class BullConnectionModule {}
