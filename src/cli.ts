import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { isPlainEmail } from './common/validators';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { withTimeout } from './common/async.util';
import { AppConfig, ConfigError, loadConfigFromEnvironment } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { redisOptionsFromUrl } from './queues/redis-options';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ROLES, Role } from './organizers/organizer.entity';
import { OrganizersModule } from './organizers/organizers.module';
import { OrganizersService } from './organizers/organizers.service';

/** Only what the commands need: no Redis, no queues, no HTTP. */
@Module({ imports: [AppConfigModule, DatabaseModule, OrganizersModule] })
class CliModule {}

const USAGE = `usage:
  node dist/cli.js organizer:create --email EMAIL --role admin|organizer|viewer
      creates an organizer and prints its API key alone on the last line (shown once)
  node dist/cli.js health
      exits 0 when PostgreSQL and Redis answer (the worker's container health check)`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function organizerCreate(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, role: { type: 'string' } }, strict: true });
  const email = values.email?.trim();
  const role = values.role as Role | undefined;
  if (!email || !isPlainEmail(email)) fail(`--email is required and must be an email address\n${USAGE}`);
  if (!role || !ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`);
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error'] });
  try {
    const { organizer, apiKey } = await app.get(OrganizersService).create(email, role);
    process.stdout.write(
      `Created ${organizer.role} ${organizer.email} (${organizer.id}). Store this API key now; it is not shown again:\n`,
    );
    process.stdout.write(`${apiKey}\n`);
  } finally {
    await app.close();
  }
}

/** The worker serves no HTTP; its health check asks the stores it depends on directly. */
async function health(config: AppConfig): Promise<void> {
  const dataSource = new DataSource({ ...dataSourceOptions(config), extra: { connectionTimeoutMillis: 3_000, max: 1 } });
  const redis = new Redis({
    ...redisOptionsFromUrl(config.REDIS_URL),
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await withTimeout(
      dataSource.initialize().then((ds) => ds.query('SELECT 1')),
      5_000,
      'PostgreSQL',
    );
    await withTimeout(
      redis.connect().then(() => redis.ping()),
      5_000,
      'Redis',
    );
    process.stdout.write('ok\n');
  } catch (err) {
    fail(`unhealthy: ${(err as Error).message}`, 1);
  } finally {
    redis.disconnect();
    if (dataSource.isInitialized) await dataSource.destroy();
  }
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfigFromEnvironment();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 78);
    throw err;
  }
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'organizer:create':
      return organizerCreate(rest);
    case 'health':
      return health(config);
    default:
      fail(USAGE);
  }
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err), 1));
