import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { REDIS } from '../queues/redis.module';

/** Takes a slot in the current second's window, or says how long until the next window. */
const TAKE = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], 2000) end
if n <= tonumber(ARGV[1]) then return 0 end
return 1000 - (tonumber(ARGV[2]) % 1000)
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
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {
    this.key = `${config.QUEUE_PREFIX}:mailings:rate`;
  }

  /** Waits for a slot; returns the second (epoch seconds) whose window it counted in, or null without a cap. */
  async acquire(): Promise<number | null> {
    const rate = this.config.MAIL_RATE_PER_SECOND;
    if (rate === 0) return null;
    for (;;) {
      const now = Date.now();
      const second = Math.floor(now / 1000);
      const wait = (await this.redis.eval(TAKE, 1, `${this.key}:${second}`, rate, now)) as number;
      if (wait === 0) return second;
      await new Promise((r) => setTimeout(r, Math.max(1, wait)));
    }
  }
}
