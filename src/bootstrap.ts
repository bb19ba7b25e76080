import { AppConfig, ConfigError, loadConfigFromEnvironment } from './config/app-config';
import { waitForPostgres } from './database/postgres-preflight';
import { checkRedisEvictionPolicy } from './queues/redis-preflight';

/**
 * Checks that come before Nest starts, shared by both entrypoints: configuration, a
 * PostgreSQL that answers (waited for), and a Redis that may not evict jobs. Prints one line and exits non-zero on failure.
 */
export async function preflight(role: 'api' | 'worker'): Promise<AppConfig> {
  let config: AppConfig;
  try {
    config = loadConfigFromEnvironment();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
  const postgres = await waitForPostgres(config.DATABASE_URL, config.DATABASE_WAIT_SECONDS * 1000);
  if (postgres) {
    process.stderr.write(`${role}: refusing to start: ${postgres}\n`);
    process.exit(69);
  }
  if (config.isProduction && !config.publicUrlIsHttps) {
    // Not fatal (an onion service may run without TLS), but mailbox providers expect
    // https in List-Unsubscribe and browsers warn on plain-http forms.
    process.stderr.write(`${role}: warning: PUBLIC_URL is not https; List-Unsubscribe and every link in emails will be plain http\n`);
  }
  const redis = await checkRedisEvictionPolicy(config);
  if (redis?.fatal) {
    process.stderr.write(`${role}: refusing to start: ${redis.message}\n`);
    process.exit(78);
  }
  if (redis) process.stderr.write(`${role}: warning: ${redis.message}\n`);
  return config;
}

export function exitOnFatal(role: string): (err: unknown) => never {
  return (err: unknown) => {
    process.stderr.write(`${role}: failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  };
}
