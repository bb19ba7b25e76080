import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { isPlainEmail } from './common/validators';
import { DataSource } from 'typeorm';
import { withTimeout } from './common/async.util';
import { AppConfig, ConfigError, loadConfigFromEnvironment } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { createRedisClient } from './queues/redis-options';
import { AppConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { ROLES, Role } from './organizers/organizer.entity';
import { OrganizersModule } from './organizers/organizers.module';
import { OrganizersService } from './organizers/organizers.service';
import { createReadStream, statSync } from 'node:fs';
import { AuditModule } from './audit/audit.module';
import { SLUG_PATTERN } from './common/validators';
import { ImportPeopleService } from './imports/import-people.service';
import { ImportsModule } from './imports/imports.module';
import { ProgressBar } from './imports/progress-bar';
import { MailModule } from './mail/mail.module';
import { ConsoleAuthCoreModule } from './console-auth/console-auth.module';
import { InvitationsService } from './console-auth/invitations.service';

/** Only what the commands need: no Redis, no queues, no HTTP. */
@Module({ imports: [AppConfigModule, DatabaseModule, OrganizersModule] })
class CliModule {}

/** Console invitations: the organizers and the invitations, nothing else. */
@Module({ imports: [AppConfigModule, DatabaseModule, OrganizersModule, ConsoleAuthCoreModule] })
class InviteCliModule {}

/** The people import from a file: the same service as the HTTP route. */
@Module({ imports: [AppConfigModule, DatabaseModule, MailModule, AuditModule, ImportsModule] })
class ImportCliModule {}

const USAGE = `usage:
  node dist/cli.js organizer:create --email EMAIL --role admin|organizer|viewer
      creates an organizer and prints its API key alone on the last line (shown once)
  node dist/cli.js organizer:invite --email EMAIL --role admin|organizer|viewer
      creates an organizer (no API key) and prints a one-time console invitation URL alone on
      the last line (valid 72 hours, usable once)
  node dist/cli.js console:setup-link
      with no active organizer at all, prints a one-time set-up URL for the first admin on
      the last line (npm start does this); with one, prints nothing and exits 0
  node dist/cli.js people:import FILE [--list SLUG] [--consent confirmed] [--overwrite]
      imports people from a CSV file (columns email,givenName,familyName,country,postalCode,
      language,lists); progress on stderr, the report as JSON on stdout. Subscribes only with
      --consent confirmed (you vouch that everyone in the file consented)
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

async function organizerInvite(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, role: { type: 'string' } }, strict: true });
  const email = values.email?.trim();
  const role = values.role as Role | undefined;
  if (!email || !isPlainEmail(email)) fail(`--email is required and must be an email address\n${USAGE}`);
  if (!role || !ROLES.includes(role)) fail(`--role must be one of ${ROLES.join(', ')}\n${USAGE}`);
  const app = await NestFactory.createApplicationContext(InviteCliModule, { logger: ['error'] });
  try {
    const { url } = await app.get(InvitationsService).invite(email, role, { createdBy: null });
    process.stdout.write(`Invited ${role} ${email}. This console invitation works once, for 72 hours:\n`);
    process.stdout.write(`${url}\n`);
  } catch (err) {
    if ((err as { getStatus?: () => number }).getStatus?.() === 409) fail((err as Error).message, 1);
    throw err;
  } finally {
    await app.close();
  }
}

async function consoleSetupLink(): Promise<void> {
  const app = await NestFactory.createApplicationContext(InviteCliModule, { logger: ['error'] });
  try {
    const url = await app.get(InvitationsService).setupLink();
    if (url) process.stdout.write(`${url}\n`);
  } finally {
    await app.close();
  }
}

async function peopleImport(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { list: { type: 'string' }, consent: { type: 'string' }, overwrite: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const [file] = positionals;
  if (!file || positionals.length !== 1) fail(`one FILE is required\n${USAGE}`);
  if (values.list !== undefined && !SLUG_PATTERN.test(values.list)) fail(`--list must be a list slug\n${USAGE}`);
  if (values.consent !== undefined && values.consent !== 'confirmed') fail(`--consent takes only "confirmed"\n${USAGE}`);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    fail(`cannot read ${file}`);
  }
  const app = await NestFactory.createApplicationContext(ImportCliModule, { logger: ['error'] });
  try {
    const bar = new ProgressBar(size);
    const report = await app.get(ImportPeopleService).run(createReadStream(file), {
      lists: values.list ? [values.list] : [],
      consentConfirmed: values.consent === 'confirmed',
      overwrite: values.overwrite === true,
      via: 'cli',
      onProgress: (bytes) => bar.update(bytes),
    });
    bar.finish();
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } catch (err) {
    const status = (err as { getStatus?: () => number }).getStatus?.();
    if (status && status < 500) fail(`import refused: ${(err as Error).message}`, 1);
    throw err;
  } finally {
    await app.close();
  }
}

/** The worker serves no HTTP; its health check asks the stores it depends on directly. */
async function health(config: AppConfig): Promise<void> {
  const dataSource = new DataSource({ ...dataSourceOptions(config), extra: { connectionTimeoutMillis: 3_000, max: 1 } });
  const redis = createRedisClient(config, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
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
    case 'organizer:invite':
      return organizerInvite(rest);
    case 'console:setup-link':
      return consoleSetupLink();
    case 'people:import':
      return peopleImport(rest);
    case 'health':
      return health(config);
    default:
      fail(USAGE);
  }
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err), 1));
