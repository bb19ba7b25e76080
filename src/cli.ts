import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfigFromEnvironment } from './config/app-config';
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
      creates an organizer and prints its API key alone on the last line (shown once)`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

async function organizerCreate(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { email: { type: 'string' }, role: { type: 'string' } }, strict: true });
  const email = values.email?.trim();
  const role = values.role as Role | undefined;
  if (!email || !/^[^\s@]+@[^\s@]+$/.test(email)) fail(`--email is required and must be an email address\n${USAGE}`);
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

async function main(): Promise<void> {
  try {
    loadConfigFromEnvironment();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message, 78);
    throw err;
  }
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'organizer:create':
      return organizerCreate(rest);
    default:
      fail(USAGE);
  }
}

main().catch((err: unknown) => fail(err instanceof Error ? err.message : String(err), 1));
