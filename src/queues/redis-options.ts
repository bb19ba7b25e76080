import Redis, { Cluster, ClusterOptions, RedisOptions } from 'ioredis';
import type { AppConfig } from '../config/app-config';

/** A connection to the platform's Redis: one node (REDIS_URL), or a Redis Cluster (REDIS_CLUSTER_NODES). */
export type RedisClient = Redis | Cluster;

/** ioredis options from a redis:// or rediss:// URL (ioredis takes a URL or options, not both). */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const u = new URL(url);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port ? Number(u.port) : 6379,
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    tls: u.protocol === 'rediss:' ? {} : undefined,
    connectTimeout: 5_000,
  };
}

/** Options that belong to the cluster client as a whole rather than to each node's connection. */
const CLUSTER_LEVEL = ['enableOfflineQueue', 'lazyConnect'] as const;

/**
 * The client the configuration names: an ioredis `Cluster` over REDIS_CLUSTER_NODES when
 * set (each node's connection with `options`; a cluster has no database number), else one
 * `Redis` on REDIS_URL. `retryStrategy: () => null` (give up at once) applies to both.
 */
export function createRedisClient(config: Pick<AppConfig, 'REDIS_URL' | 'redisClusterNodes'>, options: RedisOptions = {}): RedisClient {
  const nodes = config.redisClusterNodes;
  if (!nodes) return new Redis({ ...redisOptionsFromUrl(config.REDIS_URL), ...options });
  const nodeOptions: RedisOptions = { connectTimeout: 5_000, ...options };
  const clusterOptions: ClusterOptions = {};
  for (const key of CLUSTER_LEVEL) {
    if (options[key] !== undefined) clusterOptions[key] = options[key];
    delete nodeOptions[key];
  }
  if (options.retryStrategy) {
    const retry = options.retryStrategy;
    clusterOptions.clusterRetryStrategy = (times) => retry(times) ?? null;
  }
  delete nodeOptions.retryStrategy;
  return new Cluster(nodes, { ...clusterOptions, redisOptions: nodeOptions, slotsRefreshTimeout: 2_000 });
}

/** Runs `each` on every primary of a cluster, or on the one node. */
export async function onEveryPrimary<T>(client: RedisClient, each: (node: Redis) => Promise<T>): Promise<T[]> {
  if (client instanceof Cluster) return Promise.all(client.nodes('master').map(each));
  return [await each(client)];
}
