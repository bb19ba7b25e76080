// What `npm run bench` needs before and after its scenarios: options, the baseline scripts,
// the machine's description, and a cleanup that also runs on Ctrl-C.
import { ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import type { Client } from 'pg';
import type { Redis } from 'ioredis';
import { ROOT } from './paths';

/** What the default run measures: every target of issue 16, each with its baseline. */
export const DEFAULT_SCENARIOS = ['read', 'sign', 'burst', 'export', 'newsletter'] as const;
/**
 * Measured only when asked for (`--only`): round 1's targets, met then, and the console's
 * dashboard (issue 15), each taking minutes to seed, beyond the default run's 10 minutes.
 */
export const EXTRA_SCENARIOS = ['late', 'planning', 'dashboard'] as const;
export const SCENARIOS = [...DEFAULT_SCENARIOS, ...EXTRA_SCENARIOS] as const;
export type Scenario = (typeof SCENARIOS)[number];

/**
 * Sizes and durations. The defaults are what the targets name (a million rows to export,
 * 30,000 signatures in the burst, 64 connections for the reads, 80 % of R_pg for the paced
 * sign), or the smallest size at which the figure stops moving: a newsletter settles to its
 * rate within its first batches (30 batches of 1,000 here, once with DKIM and once
 * without), and 16 s of full-speed signing is some 10,000 requests.
 */
const DEFAULTS = {
  people: 1_000_000, // seeded people: the export
  recipients: 30_000, // each newsletter run's audience (DKIM on, then off)
  burst: 30_000, // accepted signatures whose confirmations are mailed in the burst
  planning: 1_000_000, // the planned mailing's audience (--only planning)
  lateSignatures: 1_000_000, // signatures pre-seeded on the "late" petition (--only late)
  dashboardSignatures: 1_000_000, // confirmed signatures over 90 days for the console dashboard (at most --people)
  seconds: 16, // full-speed sign load; the shorter runs (reads, 80 %, first/late) take half
  connections: 32, // autocannon connections for the sign loads
  readConnections: 64, // autocannon connections for the public reads (the target's p99 is at 64)
  workers: 1,
  mailingConcurrency: 10, // newsletter SMTP connections per worker; smtp-raw.mjs gets the same total
  only: DEFAULT_SCENARIOS.join(','),
};

export type BenchOptions = Omit<typeof DEFAULTS, 'only'> & { only: string; scenarios: Set<Scenario>; shortSeconds: number };

const USAGE = `npm run bench -- [--people N] [--recipients N] [--burst N] [--planning N] [--late-signatures N] [--dashboard-signatures N]
                    [--seconds S] [--connections C] [--read-connections C] [--workers N] [--mailing-concurrency N]
                    [--only ${SCENARIOS.join(',')}]     (default: ${DEFAULT_SCENARIOS.join(',')})`;

/** A mistake in the command line: printed without a stack. */
export class UsageError extends Error {}

export function parseOptions(argv: string[]): BenchOptions {
  const options: Record<string, number | string> = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(0);
    }
    const key = flag.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (!flag.startsWith('--') || !(key in DEFAULTS) || argv[i + 1] === undefined) throw new UsageError(`bad option ${flag}\n${USAGE}`);
    const value = argv[++i];
    if (key === 'only') {
      const unknown = value.split(',').filter((s) => !(SCENARIOS as readonly string[]).includes(s));
      if (unknown.length) throw new UsageError(`unknown scenario ${unknown.join(',')}: one of ${SCENARIOS.join(', ')}`);
      options.only = value;
    } else {
      const n = Number(value.replace(/_/g, ''));
      if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} takes a positive whole number`);
      options[key] = n;
    }
  }
  const parsed = options as unknown as BenchOptions;
  parsed.lateSignatures = Math.min(parsed.lateSignatures, parsed.people);
  parsed.dashboardSignatures = Math.min(parsed.dashboardSignatures, parsed.people);
  parsed.scenarios = new Set(parsed.only.split(',') as Scenario[]);
  parsed.shortSeconds = Math.max(5, Math.round(parsed.seconds / 2));
  return parsed;
}

export interface BaselineDir {
  source: string;
  dir: string;
}

/**
 * The baselines of ../shared/bench. A clean clone (CI) has no ../shared beside it, so the
 * byte-identical copies under bench/baseline/ are the last resort.
 */
export function findBaselines(): BaselineDir {
  const candidates: Array<[string, string | undefined]> = [
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

const quiet = (cmd: string, args: string[]): string => {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
};

export interface Machine {
  nproc: number;
  cpu?: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  redis?: string;
  loadAverageAtStart: number[];
  commit: string;
  dirty: boolean;
}

export const loadAverage = (): number[] => os.loadavg().map((n) => Math.round(n * 100) / 100);

/** What the figures were taken on. */
export async function describeMachine(db: Client, redis: Redis): Promise<Machine> {
  const pg = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version;
  const info = await redis.info('server');
  const redisVersion = /redis_version:(\S+)/.exec(info)?.[1];
  const valkey = /valkey_version:(\S+)/.exec(info)?.[1];
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
    loadAverageAtStart: loadAverage(),
    commit: quiet('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    dirty: quiet('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no']) !== '',
  };
}

/** Pids whose parent is this process (Linux /proc). */
function childPids(): number[] {
  const pids: number[] = [];
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

export interface Cleanup {
  add(step: () => unknown): void;
  /** Ends a child process on cleanup unless it has exited already. */
  track<T extends ChildProcess>(child: T): T;
  run(): Promise<void>;
}

/**
 * Cleanup steps run once, newest first, at the end, on failure, and on SIGINT/SIGTERM
 * (the children are ended by their own pid, then the scratch database and Redis keys go).
 */
export function createCleanup(): Cleanup {
  const steps: Array<() => unknown> = [];
  const tracked = new Set<number | undefined>();
  let running: Promise<void> | undefined;
  const run = (): Promise<void> =>
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
          console.error(`bench: cleanup step failed: ${(err as Error).message}`);
        }
      }
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\nbench: ${signal}, cleaning up`);
      void run().finally(() => process.exit(130));
    });
  }
  return {
    add: (step) => steps.push(step),
    track: (child) => {
      tracked.add(child.pid);
      steps.push(
        () =>
          new Promise<void>((r) => {
            if (child.exitCode !== null || child.signalCode !== null) return r();
            child.once('exit', () => r());
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
export async function dropOrphanDatabases(admin: Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `SELECT datname FROM pg_database WHERE datname ~ '^campaign_(bench|measure_[a-z_]+)_[0-9]+$'`,
  );
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
export async function deleteRedisPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
}
