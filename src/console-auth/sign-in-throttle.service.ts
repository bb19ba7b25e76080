import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import type { RedisClient } from '../queues/redis-options';
import { keyedHash } from '../common/crypto.util';
import { AppConfig } from '../config/app-config';
import { ConsoleThrottled } from '../console/console-errors';
import { REDIS } from '../queues/redis.module';

const WINDOW_MS = 15 * 60_000;

const HIT = `
local result = {}
for i, key in ipairs(KEYS) do
  local hits = redis.call('INCR', key)
  if hits == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
  result[#result + 1] = hits
  result[#result + 1] = redis.call('PTTL', key)
end
return result
`;

/**
 * Sign-in attempts counted in Redis over 15-minute windows, per client address (every way in)
 * and per account (the address typed; passkeys name none): beyond the limits, 429 with
 * Retry-After, before any password is hashed, so a flood costs the server little. Keys are
 * keyed hashes: no address or email is kept in Redis. Unlike the public POSTs this fails
 * closed (503) when Redis is away: an unthrottled console is worth less than a refused one.
 */
@Injectable()
export class SignInThrottle {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly config: AppConfig,
  ) {}

  private key(kind: string, value: string): string {
    return `${this.config.QUEUE_PREFIX}:console-signin:${kind}:${keyedHash(this.config.APP_SECRET, `console-signin-${kind}`, value)}`;
  }

  /** Counts one attempt; throws ConsoleThrottled (429) when a limit is passed. */
  async hit(address: string, account?: string): Promise<void> {
    const keys = [this.key('address', address)];
    const limits = [this.config.CONSOLE_SIGNIN_PER_ADDRESS];
    if (account) {
      keys.push(this.key('account', account));
      limits.push(this.config.CONSOLE_SIGNIN_PER_ACCOUNT);
    }
    let counts: number[];
    try {
      counts = (await this.redis.eval(HIT, keys.length, ...keys, WINDOW_MS)) as number[];
    } catch {
      throw new ServiceUnavailableException('Sign-in is unavailable for a moment; try again');
    }
    let retryMs = 0;
    for (let i = 0; i < keys.length; i++) {
      if (counts[2 * i] > limits[i]) retryMs = Math.max(retryMs, counts[2 * i + 1]);
    }
    if (retryMs > 0) throw new ConsoleThrottled(Math.max(1, Math.ceil(retryMs / 1000)));
  }

  /** A successful sign-in clears the account's count (not the address's). */
  async succeeded(account: string): Promise<void> {
    await this.redis.del(this.key('account', account)).catch(() => undefined);
  }
}
