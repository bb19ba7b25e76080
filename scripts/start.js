#!/usr/bin/env node
// `npm start`: everything on one machine. Reuses the PostgreSQL and Redis named by
// DATABASE_URL / REDIS_URL when they answer; otherwise starts private ones under .data/
// (and leaves them running, so the next `npm start` reuses them). Then migrates, runs the
// API and the workers, and stops both together.
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const Redis = require('ioredis');

const root = path.join(__dirname, '..');
const dataDir = path.join(root, '.data');
const pgDataDir = path.join(dataDir, 'postgres');
// Socket and server log live outside PGDATA, in a directory the postgres user can write.
const pgRunDir = path.join(dataDir, 'postgres-run');
const redisDir = path.join(dataDir, 'redis');

// The platform's own configuration class (built by `npm run build`, which `npm start` runs
// first): same defaults, and a bad variable stops us here with the same one line.
const config = (() => {
  const { loadConfigFromEnvironment, ConfigError } = require('../dist/config/app-config');
  try {
    return loadConfigFromEnvironment();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(78);
  }
})();
const PORT = String(config.PORT);
const DATABASE_URL = config.DATABASE_URL;
const REDIS_URL = config.REDIS_URL;
const PUBLIC_URL = config.publicUrl;

// Package names for the hint printed when a server is missing.
const PACKAGES = {
  postgres: { apt: 'postgresql', brew: 'postgresql@15' },
  redis: { apt: 'redis-server', brew: 'redis' },
};

/** A failure the user can act on: printed as one message, without a stack trace. */
class StartError extends Error {}

const log = (message) => process.stdout.write(`start: ${message}\n`);

function displayUrl(url) {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

function isLoopback(hostname) {
  return ['localhost', '127.0.0.1', '::1', '[::1]', ''].includes(hostname);
}

/** The addresses a local server must listen on for clients of `hostname` to reach it. */
function loopbackAddresses(hostname) {
  if (hostname === 'localhost') return ['127.0.0.1', '::1']; // clients may resolve either
  if (hostname === '::1' || hostname === '[::1]') return ['::1'];
  return ['127.0.0.1'];
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(what, check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(250);
  }
  throw new StartError(`${what} did not become ready within ${Math.round(timeoutMs / 1000)} s`);
}

function which(command) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    const output = [result.error?.message, result.stdout, result.stderr].filter(Boolean).join('\n').trim();
    throw new StartError(`${what} failed:\n${output}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// PostgreSQL

// Errors that mean "nothing listens there", as opposed to a server that answered and said no.
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'ENOENT']);

function maintenanceUrl(url) {
  const u = new URL(url);
  u.pathname = '/postgres';
  return u.toString();
}

/** 'up', 'starting' or 'down'; throws when a server answers but refuses us. */
async function probePostgres(url) {
  const client = new Client({ connectionString: maintenanceUrl(url), connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.end();
    return 'up';
  } catch (err) {
    if (err.code === '57P03') return 'starting'; // "the database system is starting up"
    if (UNREACHABLE.has(err.code) || /timeout|terminated/i.test(err.message)) return 'down';
    throw new StartError(`PostgreSQL at ${displayUrl(url)} answered but refused the connection: ${err.message}`);
  }
}

/** The directory holding initdb and pg_ctl, preferring PATH, then Debian's versioned dirs. */
function findPostgresBinDir() {
  const hasBoth = (dir) => ['initdb', 'pg_ctl'].every((b) => fs.existsSync(path.join(dir, b)));
  const initdb = which('initdb');
  if (initdb && hasBoth(path.dirname(initdb))) return path.dirname(initdb);
  const debianRoot = '/usr/lib/postgresql';
  const versions = fs.existsSync(debianRoot) ? fs.readdirSync(debianRoot) : [];
  versions.sort((a, b) => Number(b) - Number(a) || b.localeCompare(a));
  for (const version of versions) {
    const dir = path.join(debianRoot, version, 'bin');
    if (hasBoth(dir)) return dir;
  }
  return null;
}

function shellQuote(arg) {
  return `'${String(arg).replace(/'/g, `'\\''`)}'`;
}

/**
 * initdb and pg_ctl refuse to run as root, so as root the cluster belongs to the `postgres`
 * system user and every command goes through runuser (or su where runuser is missing).
 */
function postgresRunner() {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) return { owner: null, command: (cmd, args) => [cmd, args] };
  const id = (flag) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  const gid = id('-g');
  if (uid.status !== 0 || gid.status !== 0) {
    throw new StartError(
      'PostgreSQL must be started here, but initdb refuses to run as root and there is no `postgres` user to run it as. ' +
        `Create one (useradd --system postgres), run npm start as a normal user, or run \`docker compose up -d postgres redis\`.`,
    );
  }
  const owner = { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  if (which('runuser')) return { owner, command: (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]] };
  return { owner, command: (cmd, args) => ['su', ['-s', '/bin/sh', 'postgres', '-c', [cmd, ...args].map(shellQuote).join(' ')]] };
}

function prepareDir(dir, owner) {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
}

/** Starts (or finds running) the cluster in .data/postgres; returns how to stop it. */
function startLocalPostgres(binDir, url) {
  const u = new URL(url);
  const port = u.port || '5432';
  const superuser = decodeURIComponent(u.username) || 'postgres';
  const runner = postgresRunner();
  const pgRun = (bin, args, what) => run(...runner.command(path.join(binDir, bin), args), what);
  const pgCtl = which('pg_ctl') ? 'pg_ctl' : path.join(binDir, 'pg_ctl');
  const stopHint = `${runner.owner ? 'runuser -u postgres -- ' : ''}${pgCtl} stop -D .data/postgres`;

  fs.mkdirSync(dataDir, { recursive: true });
  // The postgres user must be able to reach its directories through .data/.
  if (runner.owner) fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o011);
  prepareDir(pgDataDir, runner.owner);
  prepareDir(pgRunDir, runner.owner);

  if (!fs.existsSync(path.join(pgDataDir, 'PG_VERSION'))) {
    log(`creating a PostgreSQL cluster in ${path.relative(root, pgDataDir)}/`);
    // UTF8 whatever the machine's locale: names in every script must round-trip.
    pgRun('initdb', ['-D', pgDataDir, '-U', superuser, '--auth=trust', '--encoding=UTF8', '--locale=C'], 'initdb');
  }

  const status = spawnSync(...runner.command(path.join(binDir, 'pg_ctl'), ['status', '-D', pgDataDir]), { encoding: 'utf8' });
  if (status.status === 0) {
    // Already running (perhaps still starting): fine if it is on the port we want.
    // Line 4 of postmaster.pid is the port the server listens on.
    const runningPort = fs.readFileSync(path.join(pgDataDir, 'postmaster.pid'), 'utf8').split('\n')[3]?.trim();
    if (runningPort && runningPort !== port) {
      throw new StartError(
        `The local PostgreSQL in .data/postgres is running on port ${runningPort}, but DATABASE_URL asks for port ${port}. ` +
          `Stop it (${stopHint}) or change DATABASE_URL.`,
      );
    }
    return stopHint;
  }

  log(`starting PostgreSQL on port ${port} (data in ${path.relative(root, pgDataDir)}/)`);
  const logFile = path.join(pgRunDir, 'postgres.log');
  // pg_ctl hands -o to a shell, hence the quoting of the socket directory.
  const options = `-p ${port} -c listen_addresses=${loopbackAddresses(u.hostname).join(',')} -c unix_socket_directories=${shellQuote(pgRunDir)}`;
  try {
    pgRun('pg_ctl', ['start', '-D', pgDataDir, '-l', logFile, '-w', '-t', '60', '-o', options], 'pg_ctl start');
  } catch (err) {
    throw new StartError(`${err.message}\n--- ${path.relative(root, logFile)} ---\n${tail(logFile)}`);
  }
  return stopHint;
}

async function ensureDatabase(url) {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) return;
  const client = new Client({ connectionString: maintenanceUrl(url) });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount > 0) return;
    log(`creating database "${name}"`);
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((err) => {
      if (err.code !== '42P04') throw err; // created meanwhile by someone else: fine
    });
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------
// Redis

/** 'up', 'starting' or 'down'; throws when a server answers but refuses us. */
async function probeRedis(url) {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return 'up';
  } catch (err) {
    if (/LOADING/.test(err.message)) return 'starting';
    if (/NOAUTH|WRONGPASS|NOPERM|invalid password/i.test(err.message)) {
      throw new StartError(`Redis at ${displayUrl(url)} answered but refused the connection: ${err.message}`);
    }
    return 'down';
  } finally {
    redis.disconnect();
  }
}

/** Starts a Redis with its data in .data/redis; returns how to stop it. */
function startLocalRedis(redisServer, url) {
  const u = new URL(url);
  const port = u.port || '6379';
  fs.mkdirSync(redisDir, { recursive: true });
  log(`starting Redis on port ${port} (data in ${path.relative(root, redisDir)}/)`);
  const logFile = path.join(redisDir, 'redis.log');
  const bind = loopbackAddresses(u.hostname).map((a, i) => (i === 0 ? a : `-${a}`)); // "-" = optional in Redis 7
  // prettier-ignore
  const args = [
    '--daemonize', 'yes',
    '--bind', ...bind,
    '--port', port,
    '--dir', redisDir,
    // BullMQ jobs must never be evicted, and should survive a restart.
    '--maxmemory-policy', 'noeviction',
    '--appendonly', 'yes',
    '--pidfile', path.join(redisDir, 'redis.pid'),
    '--logfile', logFile,
  ];
  if (u.password) args.push('--requirepass', decodeURIComponent(u.password));
  try {
    run(redisServer, args, 'redis-server');
  } catch (err) {
    throw new StartError(`${err.message}\n--- ${path.relative(root, logFile)} ---\n${tail(logFile)}`);
  }
  return `redis-cli -p ${port}${u.password ? ' -a PASSWORD' : ''} shutdown`;
}

// ---------------------------------------------------------------------------------------
// Services

/**
 * Makes PostgreSQL and Redis answer, or explains in one message what is missing. Returns
 * how to stop the local servers it started, which outlive us on purpose.
 */
async function ensureServices() {
  const [pgState, redisState] = await Promise.all([probePostgres(DATABASE_URL), probeRedis(REDIS_URL)]);
  const pgHost = new URL(DATABASE_URL).hostname;
  const redisHost = new URL(REDIS_URL).hostname;
  const pgBinDir = pgState === 'down' ? findPostgresBinDir() : null;
  const redisServer = redisState === 'down' ? which('redis-server') : null;

  // Gather everything that is missing first, so one message says all there is to do.
  const problems = [];
  const install = [];
  if (pgState === 'down' && !isLoopback(pgHost)) {
    problems.push(`PostgreSQL does not answer at ${displayUrl(DATABASE_URL)} (not on this machine, so npm start cannot start it)`);
  } else if (pgState === 'down' && !pgBinDir) {
    problems.push(`PostgreSQL does not answer at ${displayUrl(DATABASE_URL)} and no server binaries (initdb, pg_ctl) were found`);
    install.push(PACKAGES.postgres);
  }
  if (redisState === 'down' && !isLoopback(redisHost)) {
    problems.push(`Redis does not answer at ${displayUrl(REDIS_URL)} (not on this machine, so npm start cannot start it)`);
  } else if (redisState === 'down' && !redisServer) {
    problems.push(`Redis does not answer at ${displayUrl(REDIS_URL)} and redis-server was not found`);
    install.push(PACKAGES.redis);
  }
  if (problems.length > 0) {
    const fixes = ['run `docker compose up -d postgres redis`', 'or point DATABASE_URL / REDIS_URL at running servers'];
    if (install.length > 0) {
      const names = (manager) => install.map((p) => p[manager]).join(' ');
      fixes.unshift(
        `install ${install.length > 1 ? 'them' : 'it'} (Debian/Ubuntu: sudo apt-get install ${names('apt')}; macOS: brew install ${names('brew')})`,
      );
    }
    throw new StartError(`${problems.join('; ')}.\nTo fix: ${fixes.join(', ')}; then run npm start again.`);
  }

  const stopHints = [];
  if (pgState === 'up') log(`PostgreSQL answers at ${displayUrl(DATABASE_URL)}`);
  else if (pgState === 'down') stopHints.push(startLocalPostgres(pgBinDir, DATABASE_URL));
  if (redisState === 'up') log(`Redis answers at ${displayUrl(REDIS_URL)}`);
  else if (redisState === 'down') stopHints.push(startLocalRedis(redisServer, REDIS_URL));

  await waitUntil('PostgreSQL', async () => (await probePostgres(DATABASE_URL)) === 'up', 60_000);
  await waitUntil('Redis', async () => (await probeRedis(REDIS_URL)) === 'up', 30_000);
  await ensureDatabase(DATABASE_URL);
  return stopHints;
}

/**
 * The children's environment: readable logs by default outside production (one line per
 * event, without Nest's ~180 boot lines), JSON in production or when LOG_FORMAT says so.
 */
function childEnv() {
  const env = { ...process.env };
  if (!env.LOG_FORMAT) env.LOG_FORMAT = config.isProduction ? 'json' : 'pretty';
  return env;
}

/**
 * On an install with no organizer yet, a one-time link for the first admin to set up their
 * console sign-in (a new one each start while nobody has; null once someone has).
 */
function firstAdminLink() {
  const result = spawnSync(process.execPath, [path.join(root, 'dist', 'cli.js'), 'console:setup-link'], {
    cwd: root,
    env: childEnv(),
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    log(`could not check for a first admin: ${(result.stderr || '').trim()}`);
    return null;
  }
  const lines = (result.stdout || '').trim().split('\n');
  return lines[lines.length - 1] || null;
}

function runMigrations() {
  log('applying migrations');
  const cli = path.join(root, 'node_modules', 'typeorm', 'cli.js');
  const result = spawnSync(process.execPath, [cli, 'migration:run', '-d', 'dist/database/data-source.js'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`;
  if (result.error || result.status !== 0) {
    throw new StartError(`migrations failed; nothing was started:\n${result.error?.message ?? ''}${output}`);
  }
  // The TypeORM CLI echoes every statement; on success only the outcome is worth reading.
  const summary = output.split('\n').filter((line) => /has been executed successfully|No migrations are pending/.test(line));
  for (const line of summary) log(line.trim());
}

// ---------------------------------------------------------------------------------------
// API and workers

function runProcesses() {
  const children = new Map();
  let stopping = null; // the signal we forwarded, once we are shutting down
  let failed = false;

  const stopAll = (signal) => {
    for (const child of children.values()) child.kill(signal);
  };

  const start = (name, script) => {
    // Own process group: a terminal's Ctrl-C reaches only us, and we pass it on exactly
    // once. Nest treats a second signal during its graceful shutdown as "die now".
    const child = spawn(process.execPath, [script], {
      cwd: root,
      env: childEnv(),
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    children.set(name, child);
    child.on('exit', (code, signal) => {
      children.delete(name);
      // After our signal, dying of it (or exiting 128+n for it) is a normal stop.
      const clean = code === 0 || (stopping !== null && (signal !== null || code === 130 || code === 143));
      if (!clean || stopping === null) {
        failed = true;
        process.stderr.write(
          `start: ${name} exited unexpectedly (${signal ?? `code ${code}`})${children.size > 0 ? ', stopping the rest' : ''}\n`,
        );
        if (stopping === null) {
          stopping = 'SIGTERM';
          stopAll('SIGTERM');
        }
      }
      if (children.size === 0) process.exit(failed ? 1 : 0);
    });
  };

  const onSignal = (signal) => {
    if (stopping !== null) {
      log('forcing stop');
      stopAll('SIGKILL');
      return;
    }
    stopping = signal;
    log(`${signal}: stopping the API and the workers (again to force)`);
    stopAll(signal);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  // A closed terminal must not leave the detached children behind.
  process.on('SIGHUP', () => onSignal('SIGTERM'));
  process.on('exit', () => stopAll('SIGTERM'));
  // `npm start` runs us under `sh -c`, and a SIGTERM sent to npm kills that shell without
  // passing the signal on. Being orphaned that way means "stop", not "run on unseen".
  if (process.env.npm_lifecycle_event) {
    const parent = process.ppid;
    setInterval(() => process.ppid !== parent && stopping === null && onSignal('SIGTERM'), 1_000).unref();
  }

  start('api', 'dist/main.js');
  start('worker', 'dist/worker.js');
  return { isRunning: (name) => children.has(name) && stopping === null };
}

async function announceWhenLive(processes, stopHints, setupLink) {
  const liveUrl = `http://127.0.0.1:${PORT}/health/live`;
  for (;;) {
    if (!processes.isRunning('api')) return;
    const ok = await fetch(liveUrl, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    await sleep(250);
  }
  const lines = [
    '',
    'Campaign platform is running:',
    `  API      ${PUBLIC_URL}`,
    `  Docs     ${PUBLIC_URL}/docs`,
    `  Console  ${PUBLIC_URL}/console`,
  ];
  if (setupLink) {
    lines.push(`  Set up   ${setupLink}`, '           (no organizer yet: this one-time link makes you the first admin; valid 72 hours)');
  }
  if (!config.SMTP_URL && !config.isProduction) {
    lines.push(`  Mail     ${PUBLIC_URL}/dev/outbox (captured in ${config.MAIL_OUTBOX_DIR}; SMTP_URL is unset)`);
  }
  if (stopHints.length > 0) {
    lines.push('The local servers started under .data/ keep running after Ctrl-C, for the next npm start;');
    lines.push(...stopHints.map((hint) => `  to stop: ${hint}`));
  }
  lines.push('Ctrl-C stops the API and the workers.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'main.js'))) {
    throw new StartError('dist/ is missing: run `npm run build` first (npm start does it for you)');
  }
  const stopHints = await ensureServices();
  runMigrations();
  const setupLink = firstAdminLink();
  const processes = runProcesses();
  await announceWhenLive(processes, stopHints, setupLink);
}

main().catch((err) => {
  process.stderr.write(`start: ${err instanceof StartError ? err.message : err.stack}\n`);
  process.exit(1);
});
