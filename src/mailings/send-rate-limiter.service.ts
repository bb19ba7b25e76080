import { Inject, Injectable } from '@nestjs/common';
import type { RedisClient } from '../queues/redis-options';
import { AppConfig } from '../config/app-config';
import { REDIS } from '../queues/redis.module';

/**
 * Takes up to ARGV[3] slots in the current second's window: answers {granted, 0}, or
 * {0, ms until the next window} when the second is full. Granting what is left (rather than
 * all or nothing) keeps a chunk from waiting a whole second for its last slot.
 */
const TAKE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local free = tonumber(ARGV[1]) - used
if free <= 0 then return {0, 1000 - (tonumber(ARGV[2]) % 1000)} end
local take = math.min(free, tonumber(ARGV[3]))
if redis.call('INCRBY', KEYS[1], take) == take then redis.call('PEXPIRE', KEYS[1], 2000) end
return {take, 0}
`;

/**
 * MAIL_RATE_PER_SECOND across every worker: one counter per wall-clock second in Redis,
 * shared by all of them (a fixed window: at most the rate in any calendar second). A worker
 * that finds the second full waits for the next one. 0 turns the cap off.
 */
@Injectable()
export class SendRateLimiter {
  private readonly key: string;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {
    this.key = `${config.QUEUE_PREFIX}:mailings:rate`;
  }

  /** Waits for a slot; returns the second (epoch seconds) whose window it counted in, or null without a cap. */
  async acquire(): Promise<number | null> {
    return (await this.acquireUpTo(1)).second;
  }

  /**
   * Waits for at least one slot and takes up to `wanted` in one Redis round trip (one per
   * chunk of messages, not one per message). `granted` is how many may be sent now; `second`
   * the window they counted in, or null without a cap (then `granted` is `wanted`).
   */
  async acquireUpTo(wanted: number): Promise<{ granted: number; second: number | null }> {
    const rate = this.config.MAIL_RATE_PER_SECOND;
    if (rate === 0) return { granted: wanted, second: null };
    for (;;) {
      const now = Date.now();
      const second = Math.floor(now / 1000);
      const [granted, wait] = (await this.redis.eval(TAKE, 1, `${this.key}:${second}`, rate, now, wanted)) as [number, number];
      if (granted > 0) return { granted, second };
      await new Promise((r) => setTimeout(r, Math.max(1, wait)));
    }
  }
}
