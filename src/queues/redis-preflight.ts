import Redis from 'ioredis';
import { redisOptionsFromUrl } from './redis-options';

/**
 * BullMQ only warns when Redis may evict keys; an evicted job is a lost email. Both
 * entrypoints call this before anything starts and refuse to run unless the policy is
 * `noeviction`. A Redis that does not answer yet is only a warning: sign-ups are kept in
 * PostgreSQL and the relay queues them once it is back.
 */
export async function checkRedisEvictionPolicy(url: string): Promise<{ fatal: boolean; message: string } | null> {
  const redis = new Redis({ ...redisOptionsFromUrl(url), lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  try {
    await redis.connect();
    const info = await redis.info('memory');
    const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
    if (policy === undefined) return null;
    if (policy !== 'noeviction') {
      return {
        fatal: true,
        message: `Redis at REDIS_URL has maxmemory-policy "${policy}": queued jobs could be evicted and lost. Set it to "noeviction" (redis-server --maxmemory-policy noeviction).`,
      };
    }
    return null;
  } catch (err) {
    return {
      fatal: false,
      message: `Redis at REDIS_URL is not reachable yet (${(err as Error).message}); jobs wait in the outbox until it is.`,
    };
  } finally {
    redis.disconnect();
  }
}
