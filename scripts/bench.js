#!/usr/bin/env node
// `npm run bench`: the platform's hot paths measured against this machine's own ceilings in
// one run (issue 7). Builds if needed, seeds a scratch database with COPY, starts the built
// API and worker(s) as production runs them (NODE_ENV=production, no rate limits, SMTP to a
// sink in another process), runs each scenario and its baseline, prints one table and
// writes bench/results/latest.json. Never part of `npm test`.
//
//   npm run bench -- [--people 1000000] [--recipients 100000] [--seconds 20] [--only sign,read,newsletter,export] …
//   npm run bench -- --help
//
// Servers: DATABASE_URL names the PostgreSQL server (a database campaign_bench_<pid> is
// made and dropped there; pg-sign.sh makes its own bench_baseline), BENCH_REDIS_URL (else
// REDIS_URL, else redis://127.0.0.1:6379) the Redis, where every key is under the run's
// queue prefix {bench-<pid>} and deleted at the end. BENCH_BASELINE_DIR overrides where the
// baseline scripts are found. Docs: docs/performance.md.
const {
  UsageError,
  parseOptions,
  findBaselines,
  buildIfNeeded,
  createCleanup,
  describeMachine,
  dropOrphanDatabases,
  deleteRedisPrefix,
} = require('./lib/bench-setup');

const os = require('node:os');

async function main() {
  const options = parseOptions(process.argv.slice(2));
  const startedAt = new Date();
  buildIfNeeded();
  const baselineDir = findBaselines();
  console.log(`bench: baselines from ${baselineDir.source} (${baselineDir.dir})`);

  const redisUrl = process.env.BENCH_REDIS_URL || process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  // The newsletter measures start platforms of their own on the same Redis (read when loaded).
  process.env.MEASURE_REDIS_URL ??= redisUrl;

  // Loaded after the build: they read dist/.
  const { Client } = require('pg');
  const Redis = require('ioredis');
  const { createScratchDatabase, adminClient } = require('./scratch-database');
  const { createOrganizer, migrate, platformEnv, randomPort, startPlatform, waitUntilUp } = require('./lib/measure-platform');
  const { createBaselines } = require('./lib/bench-baselines');
  const { startSinkProcess } = require('./lib/bench-sink');
  const { seed } = require('./lib/bench-seed');
  const { makeRow, table, writeResult } = require('./lib/bench-report');
  const { readScenario, signScenario, drainConfirmations } = require('./lib/bench-sign');
  const { newsletterScenario } = require('./lib/bench-newsletter');
  const { exportScenario } = require('./lib/bench-export');

  const cleanup = createCleanup();
  const rows = [];
  const ctx = { options, cleanup, details: {}, report: (r) => rows.push(makeRow(r)), freePort: randomPort };
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
      const { rows } = await a.query(`SELECT datname FROM pg_database WHERE datname ~ $1`, [`^campaign_measure_[a-z_]+_${process.pid}$`]);
      for (const { datname } of rows) await a.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      await a.end();
    });

    // A hash-tagged prefix, as a Redis Cluster needs (docs/scaling.md): the bench runs the same keys.
    const prefix = `{bench-${process.pid}}`;
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    cleanup.add(() => redis.quit());
    cleanup.add(() => deleteRedisPrefix(redis, prefix));

    ctx.sink = await startSinkProcess();
    cleanup.track(ctx.sink.child);
    const port = randomPort();
    ctx.base = `http://127.0.0.1:${port}`;
    ctx.env = platformEnv(
      { ...process.env, DATABASE_URL: scratch.url },
      {
        port,
        smtpPort: ctx.sink.port,
        REDIS_URL: redisUrl,
        QUEUE_PREFIX: prefix,
        MAIL_RATE_PER_SECOND: '0',
        MAILING_CONCURRENCY: String(options.mailingConcurrency),
        PUBLIC_URL: 'https://act.bench.test',
        MAIL_FROM: 'Movement <news@bench.test>',
      },
    );
    migrate(ctx.env);
    ctx.db = new Client({ connectionString: scratch.url });
    await ctx.db.connect();
    cleanup.add(() => ctx.db.end());
    const machine = await describeMachine(ctx.db, redis);
    console.log(
      `bench: ${machine.nproc} cores, ${machine.memoryGiB} GiB, PostgreSQL ${machine.postgres}, Redis ${machine.redis}, node ${machine.node}, load ${machine.loadAverageAtStart.join(' ')}, commit ${machine.commit}${machine.dirty ? ' (modified)' : ''}`,
    );
    console.log(`bench: seeding ${scratch.name}`);
    Object.assign(ctx, await seed(ctx.db, options, console.log));
    ctx.key = createOrganizer(ctx.env, 'bench@bench.test', 'admin');
    ctx.baselines = createBaselines(baselineDir, cleanup);

    ctx.platform = startPlatform(ctx.env, { workers: options.workers });
    for (const p of [ctx.platform.api, ...ctx.platform.workers]) cleanup.track(p);
    await waitUntilUp(`${ctx.base}/health/ready`);
    // The workers connect to Redis on their own time; a scenario must not time their start.
    await new Promise((r) => setTimeout(r, 2_000));

    const scenarios = [
      ['read', readScenario],
      ['sign', signScenario],
      ['sign', drainConfirmations],
      ['export', exportScenario],
      ['newsletter', newsletterScenario],
    ];
    for (const [name, run] of scenarios) {
      if (!options.scenarios.has(name)) continue;
      console.log(`bench: ${run.name} (${new Date().toISOString().slice(11, 19)})`);
      try {
        await run(ctx);
      } catch (err) {
        console.error(`bench: ${run.name} failed: ${err.stack}`);
        ctx.report({ scenario: name, figure: `${run.name} failed`, value: NaN, unit: '', target: 'runs', met: false, note: err.message });
      }
    }

    const result = {
      startedAt: startedAt.toISOString(),
      seconds: Math.round((Date.now() - startedAt) / 1000),
      machine: { ...machine, loadAverageAtEnd: os.loadavg().map((n) => Math.round(n * 100) / 100) },
      baselines: baselineDir,
      options: { ...options, scenarios: [...options.scenarios] },
      rows,
      details: ctx.details,
    };
    console.log(`\nbench: ${startedAt.toISOString()}, ${result.seconds} s, baselines from ${baselineDir.source}\n`);
    console.log(table(rows));
    console.log(`\nbench: wrote ${writeResult(result)}`);
    process.exitCode = rows.some((r) => r.met === false && r.target === 'runs') ? 1 : 0;
  } finally {
    await cleanup.run();
  }
}

main().catch((err) => {
  console.error(`bench: ${err instanceof UsageError ? err.message : (err.stack ?? err)}`);
  process.exitCode = 1;
});
