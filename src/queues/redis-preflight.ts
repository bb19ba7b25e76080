import Redis from 'ioredis';
import { redisOptionsFromUrl } from './redis-options';

export interface RedisPolicyProblem {
  fatal: boolean;
  message: string;
}

/** BullMQ only warns when Redis may evict keys; an evicted job is a lost email. */
export async function evictionPolicyProblem(redis: Redis): Promise<RedisPolicyProblem | null> {
  const info = await redis.info('memory');
  const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1];
  if (policy === undefined || policy === 'noeviction') return null;
  return {
    fatal: true,
    message: `Redis at REDIS_URL has maxmemory-policy "${policy}": queued jobs could be evicted and lost. Set it to "noeviction" (redis-server --maxmemory-policy noeviction).`,
  };
}

/**
 * Run by both entrypoints before anything starts. A Redis that does not answer yet is only
 * a warning (sign-ups wait in PostgreSQL; RedisModule checks the policy again whenever the
 * connection becomes ready); a Redis that may evict keys is fatal.
 */
export async function checkRedisEvictionPolicy(url: string): Promise<RedisPolicyProblem | null> {
  const redis = new Redis({ ...redisOptionsFromUrl(url), lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  // connect() only says "Connection is closed"; the 'error' event says why.
  let cause: string | undefined;
  redis.on('error', (err: Error) => (cause ??= err.message));
  try {
    await redis.connect();
    return await evictionPolicyProblem(redis);
  } catch (err) {
    return {
      fatal: false,
      message: `Redis at REDIS_URL is not reachable yet (${(err as Error).message}); jobs wait in the outbox until it is.`,
    };
  } finally {
    redis.disconnect();
  }
}
