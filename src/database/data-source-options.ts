import { join } from 'node:path';
import { DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { ResilientPgClient, UnnamedStatementsPgClient } from './resilient-pg-client';

// Under ts (Jest) migrations are the top-level .ts files; in a build they are compiled
// next to dist/ by tsconfig.migrations.json.
const migrationsGlob = __filename.endsWith('.ts')
  ? join(__dirname, '..', '..', 'migrations', '*.ts')
  : join(__dirname, '..', 'migrations', '*.js');

export function dataSourceOptions(
  config: Pick<AppConfig, 'DATABASE_URL'> & Partial<Pick<AppConfig, 'DATABASE_POOL_MODE'>>,
): DataSourceOptions {
  const transactionPooling = config.DATABASE_POOL_MODE === 'transaction';
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: ENTITIES,
    migrations: [migrationsGlob],
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    // A stuck query must not pin a request (or a worker slot) forever: the server gives up
    // after statement_timeout, the client after query_timeout even if the network is gone.
    // Behind a pooler in transaction mode the server's timeout is the role's setting.
    extra: {
      max: 20,
      ...(transactionPooling ? {} : { statement_timeout: 30_000 }),
      query_timeout: 35_000,
      connectionTimeoutMillis: 5_000,
      Client: transactionPooling ? UnnamedStatementsPgClient : ResilientPgClient,
    },
  };
}
