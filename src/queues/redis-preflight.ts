import type { AppConfig } from '../config/app-config';
import Redis from 'ioredis';
import { createRedisClient, onEveryPrimary, RedisClient } from './redis-options';

export interface RedisPolicyProblem {
  fatal: boolean;
  message: string;
}

/** BullMQ only warns when Redis may evict keys; an evicted job is a lost email. Every primary of a cluster is asked. */
export async function evictionPolicyProblem(redis: RedisClient): Promise<RedisPolicyProblem | null> {
  const policies = await onEveryPrimary(redis, async (node) => /maxmemory_policy:(\S+)/.exec(await node.info('memory'))?.[1]);
  const policy = policies.find((p) => p !== undefined && p !== 'noeviction');
  if (policy === undefined) return null;
  const where = redis instanceof Redis ? 'Redis at REDIS_URL' : 'A node of REDIS_CLUSTER_NODES';
  return {
    fatal: true,
    message: `${where} has maxmemory-policy "${policy}": queued jobs could be evicted and lost. Set it to "noeviction" (redis-server --maxmemory-policy noeviction).`,
  };
}

/**
 * Run by both entrypoints before anything starts. A Redis that does not answer yet is only
 * a warning (sign-ups wait in PostgreSQL; RedisModule checks the policy again whenever the
 * connection becomes ready); a Redis that may evict keys is fatal.
 */
export async function checkRedisEvictionPolicy(
  config: Pick<AppConfig, 'REDIS_URL' | 'redisClusterNodes'>,
): Promise<RedisPolicyProblem | null> {
  const redis = createRedisClient(config, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  // connect() only says "Connection is closed"; the 'error' event says why.
  let cause: string | undefined;
  redis.on('error', (err: Error) => (cause ??= err.message));
  const what = config.redisClusterNodes ? 'The Redis Cluster at REDIS_CLUSTER_NODES' : 'Redis at REDIS_URL';
  try {
    await redis.connect();
    return await evictionPolicyProblem(redis);
  } catch (err) {
    return {
      fatal: false,
      message: `${what} is not reachable yet (${cause ?? (err as Error).message}); jobs wait in the outbox until it is.`,
    };
  } finally {
    redis.disconnect();
  }
}
