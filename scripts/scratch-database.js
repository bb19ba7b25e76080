// Creates a throw-away database next to DATABASE_URL's, runs fn with an env pointing at it,
// then drops it.
// Runs after `npm run build`: DATABASE_URL and its default come from the platform's config.
const { Client } = require('pg');
const { loadConfigFromEnvironment } = require('../dist/config/app-config');

async function withScratchDatabase(prefix, fn) {
  // The process id keeps two checkouts (or two runs) on one server from dropping each
  // other's scratch database.
  const name = `${prefix}_${process.pid}`;
  const base = new URL(loadConfigFromEnvironment().DATABASE_URL);
  const admin = new URL(base);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
    const scratch = new URL(base);
    scratch.pathname = `/${name}`;
    await fn({ ...process.env, DATABASE_URL: scratch.toString() });
  } finally {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => undefined);
    await client.end();
  }
}

module.exports = { withScratchDatabase };
