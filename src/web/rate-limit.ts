import { ExecutionContext, Inject, Injectable, Logger, Module } from '@nestjs/common';
import { ThrottlerGuard, ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import type { FastifyRequest } from 'fastify';
import type { RedisClient } from '../queues/redis-options';
import { AppConfig } from '../config/app-config';
import { REDIS } from '../queues/redis.module';
import { keyedHash } from '../common/crypto.util';

const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}
`;

/**
 * Fixed-window counters in Redis, shared by every API replica. When Redis is away the limit
 * fails open: refusing sign-ups would lose them, and the outbox keeps them safe meanwhile.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly logger = new Logger(RedisThrottlerStorage.name);

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    try {
      const [hits, pttl] = (await this.redis.eval(INCREMENT, 1, `${this.config.QUEUE_PREFIX}:ratelimit:${key}`, ttl)) as [number, number];
      const seconds = Math.max(1, Math.ceil(pttl / 1000));
      const isBlocked = hits > limit;
      return { totalHits: hits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
    } catch (err) {
      this.logger.warn(`rate limit not applied, Redis unavailable: ${(err as Error).message}`);
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
  }
}

/**
 * Per-client limit on the public POSTs (sign-ups, signatures, RSVPs, link actions), counted
 * together across them. The client address is kept only as a keyed hash, even in Redis.
 */
@Injectable()
export class PublicRateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    return (await super.shouldSkip(context)) || this.limitPerMinute() === 0;
  }

  private limitPerMinute(): number {
    const options = this.options as { throttlers?: Array<{ limit?: unknown }> };
    return Number(options.throttlers?.[0]?.limit ?? 0);
  }

  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    return Promise.resolve(String((req as unknown as FastifyRequest).ip));
  }
}

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [AppConfig, REDIS],
      useFactory: (config: AppConfig, redis: RedisClient) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
        storage: new RedisThrottlerStorage(redis, config),
        generateKey: (_ctx: ExecutionContext, tracker: string) => `public-post:${keyedHash(config.APP_SECRET, 'rate-limit', tracker)}`,
      }),
    }),
  ],
  exports: [ThrottlerModule],
})
export class RateLimitModule {}
