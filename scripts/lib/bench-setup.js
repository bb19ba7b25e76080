// What `npm run bench` needs before and after its scenarios: options, the baseline scripts,
// a fresh build, the machine's description, and a cleanup that also runs on Ctrl-C.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const os = require('node:os');
const { join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..', '..');
const SCENARIOS = ['sign', 'read', 'newsletter', 'export'];

const DEFAULTS = {
  people: 1_000_000, // seeded people: the export, the late petition's signers
  recipients: 100_000, // the newsletter's audience
  planning: 1_000_000, // the planned mailing's audience
  lateSignatures: 1_000_000, // signatures pre-seeded on the "late" petition (at most --people)
  seconds: 20, // full-speed sign load; the shorter runs (read, 80 %, first/late) take half
  connections: 32, // autocannon connections for every HTTP scenario
  workers: 1,
  mailingConcurrency: 10, // newsletter SMTP connections per worker; smtp-raw.mjs gets the same total
  only: SCENARIOS.join(','),
};

const USAGE = `npm run bench -- [--people N] [--recipients N] [--planning N] [--late-signatures N]
                    [--seconds S] [--connections C] [--workers N] [--mailing-concurrency N]
                    [--only ${SCENARIOS.join(',')}]`;

/** A mistake in the command line: printed without a stack. */
class UsageError extends Error {}

function parseOptions(argv) {
  const options = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const key = flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
    if (!flag.startsWith('--') || !(key in DEFAULTS) || argv[i + 1] === undefined) throw new UsageError(`bad option ${flag}\n${USAGE}`);
    const value = argv[++i];
    if (key === 'only') {
      const unknown = value.split(',').filter((s) => !SCENARIOS.includes(s));
      if (unknown.length) throw new UsageError(`unknown scenario ${unknown.join(',')}: one of ${SCENARIOS.join(', ')}`);
      options.only = value;
    } else {
      const n = Number(value.replace(/_/g, ''));
      if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive whole number`);
      options[key] = n;
    }
  }
  options.lateSignatures = Math.min(options.lateSignatures, options.people);
  options.scenarios = new Set(options.only.split(','));
  options.shortSeconds = Math.max(5, Math.round(options.seconds / 2));
  return options;
}

/**
 * The baselines of ../shared/bench. A clean clone (CI) has no ../shared beside it, so the
 * byte-identical copies under bench/baseline/ are the last resort.
 */
function findBaselines() {
  const candidates = [
    ['BENCH_BASELINE_DIR', process.env.BENCH_BASELINE_DIR],
    ['../shared/bench', join(ROOT, '..', 'shared', 'bench')],
    ['/work/shared/bench', '/work/shared/bench'],
    ['bench/baseline (vendored copy)', join(ROOT, 'bench', 'baseline')],
  ];
  for (const [source, dir] of candidates) {
    if (dir && existsSync(join(dir, 'pg-sign.sh'))) return { source, dir: resolve(dir) };
  }
  throw new Error('no baseline scripts found (BENCH_BASELINE_DIR, ../shared/bench, bench/baseline)');
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds when dist/ is missing or older than any source or migration. */
function buildIfNeeded() {
  const built = join(ROOT, 'dist', 'main.js');
  const stale =
    !existsSync(built) || Math.max(newestMtime(join(ROOT, 'src')), newestMtime(join(ROOT, 'migrations'))) > statSync(built).mtimeMs;
  if (!stale) return false;
  console.log('bench: building (dist/ is missing or older than src/)');
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run build failed');
  return true;
}

const quiet = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
};

/** What the figures were taken on. */
async function describeMachine(db, redis) {
  const pg = (await db.query('SHOW server_version')).rows[0].server_version;
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1];
  const valkey = /valkey_version:(\S+)/.exec(await redis.info('server'))?.[1];
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model?.trim(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: pg,
    redis: valkey ? `valkey ${valkey}` : redisVersion,
    // Other work on the machine during the run: a loaded machine lowers every figure, and
    // the ratios only stay fair while the load is steady.
    loadAverageAtStart: os.loadavg().map((n) => Math.round(n * 100) / 100),
    commit: quiet('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    dirty: quiet('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no']) !== '',
  };
}

/** Pids whose parent is this process (Linux /proc). */
function childPids() {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name may hold spaces and parentheses: the fields follow its last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) pids.push(Number(entry));
    } catch {
      // ended while reading
    }
  }
  return pids;
}

/**
 * Cleanup steps run once, newest first, at the end, on failure, and on SIGINT/SIGTERM
 * (the children are ended by their own pid, then the scratch database and Redis keys go).
 */
function createCleanup() {
  const steps = [];
  const tracked = new Set();
  let running;
  const run = () =>
    (running ??= (async () => {
      // Dropping a database ends its connections; a client somewhere in a measure that did
      // not expect it must not stop the rest of the cleanup.
      process.on('uncaughtException', (err) => console.error(`bench: during cleanup: ${err.message}`));
      // Processes the measures start for themselves (their own API and workers) are this
      // process's children too, untracked: end them first, by pid.
      for (const pid of childPids()) {
        if (tracked.has(pid)) continue;
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
      for (const step of steps.reverse()) {
        try {
          await step();
        } catch (err) {
          console.error(`bench: cleanup step failed: ${err.message}`);
        }
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, cleaning up`);
      run().finally(() => process.exit(130));
    });
  }
  return {
    add: (step) => steps.push(step),
    /** Ends a child process on cleanup unless it has exited already. */
    track: (child) => {
      tracked.add(child.pid);
      steps.push(
        () =>
          new Promise((r) => {
            if (child.exitCode !== null || child.signalCode !== null) return r();
            child.once('exit', r);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      );
      return child;
    },
    run,
  };
}

/**
 * Drops scratch databases of earlier runs whose process is gone (a crash or kill -9): the
 * bench's and those of the measures it runs (campaign_measure_*_<pid>).
 */
async function dropOrphanDatabases(admin) {
  const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname ~ '^campaign_(bench|measure_[a-z_]+)_[0-9]+$'`);
  for (const { datname } of rows) {
    const pid = Number(datname.split('_').pop());
    let alive = true;
    try {
      process.kill(pid, 0);
    } catch {
      alive = false;
    }
    if (!alive) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

/** Deletes every key under the run's queue prefix. */
async function deleteRedisPrefix(redis, prefix) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}

module.exports = {
  ROOT,
  UsageError,
  SCENARIOS,
  parseOptions,
  findBaselines,
  buildIfNeeded,
  describeMachine,
  createCleanup,
  dropOrphanDatabases,
  deleteRedisPrefix,
};
