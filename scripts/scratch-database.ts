// Creates a throw-away database next to DATABASE_URL's, runs fn with an env pointing at it,
// then drops it. DATABASE_URL and its default come from the platform's own (built) config.
import { Client } from 'pg';
import { loadBuilt } from './lib/paths';

type ConfigModule = { loadConfigFromEnvironment(): { DATABASE_URL: string } };
const databaseUrl = (): string => loadBuilt<ConfigModule>('config/app-config').loadConfigFromEnvironment().DATABASE_URL;

/** Connects to the maintenance database of the server DATABASE_URL names. */
export async function adminClient(): Promise<Client> {
  const admin = new URL(databaseUrl());
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  return client;
}

export interface ScratchDatabase {
  name: string;
  url: string;
  drop: () => Promise<void>;
}

/**
 * Creates `${prefix}_${pid}` (replacing a leftover of the same name) and returns its URL
 * and `drop()`, for callers that must also drop it from a signal handler.
 */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  // The process id keeps two checkouts (or two runs) on one server from dropping each
  // other's scratch database.
  const name = `${prefix}_${process.pid}`;
  const client = await adminClient();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  const scratch = new URL(databaseUrl());
  scratch.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  const drop = (): Promise<void> =>
    (dropped ??= client
      .query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      .catch(() => undefined)
      .then(() => client.end()));
  return { name, url: scratch.toString(), drop };
}

/** Runs `fn` with the process environment pointed at a scratch database, then drops it. */
export async function withScratchDatabase(prefix: string, fn: (env: NodeJS.ProcessEnv) => Promise<void> | void): Promise<void> {
  const db = await createScratchDatabase(prefix);
  try {
    await fn({ ...process.env, DATABASE_URL: db.url });
  } finally {
    await db.drop();
  }
}
