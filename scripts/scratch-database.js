// Creates a throw-away database next to DATABASE_URL's, runs fn with an env pointing at it,
// then drops it.
// Runs after `npm run build`: DATABASE_URL and its default come from the platform's config.
const { Client } = require('pg');
const { loadConfigFromEnvironment } = require('../dist/config/app-config');

/** Connects to the maintenance database of the server DATABASE_URL names. */
async function adminClient() {
  const admin = new URL(loadConfigFromEnvironment().DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  return client;
}

/**
 * Creates `${prefix}_${pid}` (replacing a leftover of the same name) and returns its URL
 * and `drop()`, for callers that must also drop it from a signal handler.
 */
async function createScratchDatabase(prefix) {
  // The process id keeps two checkouts (or two runs) on one server from dropping each
  // other's scratch database.
  const name = `${prefix}_${process.pid}`;
  const client = await adminClient();
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await client.query(`CREATE DATABASE "${name}"`);
  const scratch = new URL(loadConfigFromEnvironment().DATABASE_URL);
  scratch.pathname = `/${name}`;
  let dropped;
  const drop = () =>
    (dropped ??= client
      .query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      .catch(() => undefined)
      .then(() => client.end()));
  return { name, url: scratch.toString(), drop };
}

async function withScratchDatabase(prefix, fn) {
  const db = await createScratchDatabase(prefix);
  try {
    await fn({ ...process.env, DATABASE_URL: db.url });
  } finally {
    await db.drop();
  }
}

module.exports = { adminClient, createScratchDatabase, withScratchDatabase };
