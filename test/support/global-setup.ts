import './test-env';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';

/** Creates the test database from scratch and applies every migration, once per run. */
export default async function globalSetup(): Promise<void> {
  const url = new URL(process.env.DATABASE_URL as string);
  const name = url.pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  await client.end();

  const dataSource = new DataSource(dataSourceOptions({ DATABASE_URL: url.toString() }));
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();

  const redis = new Redis(process.env.REDIS_URL as string);
  await redis.flushdb();
  redis.disconnect();
}
