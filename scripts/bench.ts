// `npm run bench`: the platform's hot paths measured against this machine's own ceilings in
// one run (issues 7 and 16). scripts/build.js builds if needed; this seeds a scratch database
// with COPY, starts the built API and worker(s) as production runs them (NODE_ENV=production,
// no rate limits, SMTP to a sink in another process), runs each scenario and its baseline,
// prints one table and writes bench/results/latest.json. Never part of `npm test`.
//
//   npm run bench -- [--people 1000000] [--recipients 30000] [--burst 30000] [--dashboard-signatures 1000000] [--seconds 16] [--only read,sign,...]
//                    [--console-people 1000000]   (the console's people screens; 0 skips them)
//   npm run bench -- --help
//   npm run bench -- --only read --people 10000 --console-signin   (also: does a sign-in flood slow the public routes?)
//
// Servers: DATABASE_URL names the PostgreSQL server (a database campaign_bench_<pid> is
// made and dropped there; pg-sign.sh makes its own bench_baseline), BENCH_REDIS_URL (else
// REDIS_URL, else redis://127.0.0.1:6379) the Redis, where every key is under the run's
// queue prefix {bench-<pid>} and deleted at the end. BENCH_BASELINE_DIR overrides where the
// baseline scripts are found. Docs: docs/performance.md.
import type { ChildProcess } from 'node:child_process';
import Redis from 'ioredis';
import { Client } from 'pg';
import { createBaselines } from './lib/bench-baselines';
import { burstScenario } from './lib/bench-burst';
import { consolePeopleScenario, takeConsolePeopleOption } from './lib/bench-console-people';
import { consoleSigninScenario } from './lib/bench-console-signin';
import type { BenchContext } from './lib/bench-context';
import { dashboardScenario } from './lib/bench-console-dashboard';
import { exportScenario } from './lib/bench-export';
import { newsletterScenario, planningScenario } from './lib/bench-newsletter';
import { makeRow, Row, table, writeResult } from './lib/bench-report';
import { seed } from './lib/bench-seed';
import {
  createCleanup,
  DEFAULT_SCENARIOS,
  deleteRedisPrefix,
  describeMachine,
  dropOrphanDatabases,
  findBaselines,
  loadAverage,
  parseOptions,
  Scenario,
  UsageError,
} from './lib/bench-setup';
import { lateScenario, readScenario, signScenario } from './lib/bench-sign';
import { startSinkProcess } from './lib/bench-sink';
import { createOrganizer, exited, freePort, migrate, platformEnv, startPlatform, startWorkers, waitUntilUp } from './lib/measure-platform';
import { adminClient, createScratchDatabase } from './scratch-database';

/** In running order; each runs when --only names it (the default: every target of issue 16). */
const SCENARIOS: Array<[Scenario, (ctx: BenchContext) => Promise<void>]> = [
  ['read', readScenario],
  ['sign', signScenario],
  ['late', lateScenario],
  ['burst', burstScenario],
  ['export', exportScenario],
  ['newsletter', newsletterScenario],
  ['planning', planningScenario],
  // Last: it adds a million signatures and subscriptions the scenarios above must not see.
  ['dashboard', dashboardScenario],
];

async function main(): Promise<void> {
  // The console sign-in flood (issue 14) runs only when asked for, after the other scenarios;
  // the console's people screens by default (--console-people N, 0 skips them).
  const { argv, consolePeople } = takeConsolePeopleOption(process.argv.slice(2));
  const consoleSignin = argv.includes('--console-signin');
  const options = parseOptions(argv.filter((a) => a !== '--console-signin'));
  const startedAt = new Date();
  const baselineDir = findBaselines();
  console.log(`bench: baselines from ${baselineDir.source} (${baselineDir.dir})`);

  const redisUrl = process.env.BENCH_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  // The newsletter measures start platforms of their own on the same Redis (read when loaded).
  process.env.MEASURE_REDIS_URL ??= redisUrl;

  const cleanup = createCleanup();
  const rows: Row[] = [];
  try {
    const admin = await adminClient();
    await dropOrphanDatabases(admin);
    await admin.end();
    const scratch = await createScratchDatabase('campaign_bench');
    cleanup.add(scratch.drop);
    // The measures the bench runs name their scratch databases after this process too:
    // dropped here if a Ctrl-C stops them before their own cleanup.
    cleanup.add(async () => {
      const a = await adminClient();
      const { rows: left } = await a.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ $1`, [
        `^campaign_measure_[a-z_]+_${process.pid}$`,
      ]);
      for (const { datname } of left) await a.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await a.end();
    });

    // A hash-tagged prefix, as a Redis Cluster needs (docs/scaling.md): the bench runs the same keys.
    const prefix = `{bench-${process.pid}}`;
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    cleanup.add(() => redis.quit());
    cleanup.add(() => deleteRedisPrefix(redis, prefix));

    const sink = await startSinkProcess();
    cleanup.track(sink.child);
    const port = await freePort();
    const env = platformEnv(
      { ...process.env, DATABASE_URL: scratch.url },
      {
        port,
        smtpPort: sink.port,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        MAIL_RATE_PER_SECOND: '0',
        MAILING_CONCURRENCY: String(options.mailingConcurrency),
        PUBLIC_URL: 'https://act.bench.test',
        MAIL_FROM: 'Movement <news@bench.test>',
      },
    );
    migrate(env);
    const db = new Client({ connectionString: scratch.url });
    await db.connect();
    cleanup.add(() => db.end());
    const machine = await describeMachine(db, redis);
    console.log(
      `bench: ${machine.nproc} cores, ${machine.memoryGiB} GiB, PostgreSQL ${machine.postgres}, Redis ${machine.redis}, node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}, commit ${machine.commit}${machine.dirty ? ' (modified)' : ''}`,
    );
    console.log(`bench: seeding ${scratch.name}`);
    const seeded = await seed(db, options, console.log);
    const key = createOrganizer(env, 'bench@bench.test', 'admin');

    // BENCH_API_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the API under the bench's load.
    // BENCH_WORKER_NODE_ARGS the same for the workers.
    const apiNodeArgs = (process.env.BENCH_API_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const workerNodeArgs = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const platform = startPlatform(env, { workers: options.workers, apiNodeArgs, workerNodeArgs });
    for (const p of [platform.api, ...platform.workers]) cleanup.track(p);
    const base = `http://127.0.0.1:${port}`;
    await waitUntilUp(`${base}/health/ready`);
    // The workers connect to Redis on their own time; a scenario must not time their start.
    await new Promise((r) => setTimeout(r, 2_000));

    const ctx: BenchContext = {
      ...seeded,
      options,
      cleanup,
      details: {},
      report: (r) => rows.push(makeRow(r)),
      base,
      env,
      db,
      sink,
      key,
      baselines: createBaselines(baselineDir, cleanup),
      platform,
      async stopWorkers() {
        for (const w of platform.workers) w.kill('SIGTERM');
        await Promise.all(platform.workers.map(exited));
      },
      startWorkers(): ChildProcess[] {
        platform.workers = startWorkers(env, options.workers, workerNodeArgs);
        for (const w of platform.workers) cleanup.track(w);
        return platform.workers;
      },
    };

    for (const [name, run] of SCENARIOS) {
      if (!options.scenarios.has(name)) continue;
      console.log(`bench: ${name} (${new Date().toISOString().slice(11, 19)})`);
      try {
        await run(ctx);
      } catch (err) {
        console.error(`bench: ${name} failed: ${(err as Error).stack}`);
        ctx.report({
          scenario: name,
          figure: `${name} failed`,
          value: NaN,
          unit: '',
          target: 'runs',
          met: false,
          note: (err as Error).message,
        });
      }
    }

    // The console's people search and person page (issue 14), after the rest; --console-people 0 skips it.
    if (consolePeople > 0) {
      console.log(`bench: console people (${new Date().toISOString().slice(11, 19)})`);
      await consolePeopleScenario(ctx, consolePeople).catch((err: Error) =>
        ctx.report({ scenario: 'console', figure: 'console failed', value: NaN, unit: '', target: 'runs', met: false, note: err.message }),
      );
    }
    if (consoleSignin) {
      console.log(`bench: console-signin (${new Date().toISOString().slice(11, 19)})`);
      await consoleSigninScenario(ctx).catch((err: Error) => {
        console.error(`bench: console-signin failed: ${err.stack}`);
        ctx.report({
          scenario: 'console-signin',
          figure: 'console-signin failed',
          value: NaN,
          unit: '',
          target: 'runs',
          met: false,
          note: err.message,
        });
      });
    }

    const seconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
    const defaultRun = options.only === DEFAULT_SCENARIOS.join(',');
    rows.push(
      makeRow({
        scenario: 'bench',
        figure: 'the whole run (build excluded)',
        value: seconds,
        unit: 's',
        target: defaultRun ? '≤ 600 s (default sizes, 2 cores)' : null,
        met: seconds <= 600,
        note: `load average ${machine.loadAverageAtStart.join(' ')} at the start, ${loadAverage().join(' ')} at the end`,
      }),
    );
    const result = {
      startedAt: startedAt.toISOString(),
      seconds,
      machine: { ...machine, loadAverageAtEnd: loadAverage() },
      baselines: baselineDir,
      options: { ...options, scenarios: [...options.scenarios] },
      rows,
      details: ctx.details,
    };
    console.log(`\nbench: ${startedAt.toISOString()}, ${seconds} s, baselines from ${baselineDir.source}\n`);
    console.log(table(rows));
    console.log(`\nbench: wrote ${writeResult(result)}`);
    process.exitCode = rows.some((r) => r.met === false && r.target === 'runs') ? 1 : 0;
  } finally {
    await cleanup.run();
  }
}

main().catch((err: Error) => {
  console.error(`bench: ${err instanceof UsageError ? err.message : (err.stack ?? String(err))}`);
  process.exitCode = 1;
});
