import { Global, Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { LogThrottle } from '../common/periodic-task';
import { AppConfig } from '../config/app-config';
import { evictionPolicyProblem } from './redis-preflight';
import { redisOptionsFromUrl } from './redis-options';

export const REDIS = Symbol('REDIS');

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

  constructor(@Inject(REDIS) private readonly redis: Redis) {
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
      useFactory: (config: AppConfig): Redis =>
        new Redis({ ...redisOptionsFromUrl(config.REDIS_URL), enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500 }),
    },
    RedisWatcher,
  ],
  exports: [REDIS],
})
export class RedisModule {}
