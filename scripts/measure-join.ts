// Measures the join flow as production runs it: the built API and one worker process,
// real PostgreSQL and Redis, an SMTP server in this process that accepts everything.
//
//   node scripts/build.js --tools && node dist/tools/scripts/measure-join.js [SECONDS=15] [CONNECTIONS=32]
//
// Prints: accepted sign-ups/s and latency (autocannon, distinct addresses), that every
// accepted sign-up and its outbox intent is stored (0 lost), how long the worker took to
// send every confirmation, and the idle request→email latency. Uses its own database
// (campaign_measure) and Redis database 6 with rate limiting off; changes nothing else.
import { Client } from 'pg';
import { lost, percentile, postDistinct } from './lib/bench-load';
import { freePort, migrate, platformEnv, startPlatform, startSmtpSink, stopAll, waitUntilUp } from './lib/measure-platform';
import { withScratchDatabase } from './scratch-database';

const seconds = Number(process.argv[2] || 15);
const connections = Number(process.argv[3] || 32);

async function main(): Promise<void> {
  const received = new Map<string, number>();
  const smtp = await startSmtpSink((addresses) => {
    for (const a of addresses) received.set(a.toLowerCase(), Date.now());
  });
  const port = await freePort();

  await withScratchDatabase('campaign_measure', async (env) => {
    platformEnv(env, { port, smtpPort: smtp.port });
    migrate(env);
    const { api, workers } = startPlatform(env);
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntilUp(`${base}/health/ready`);

      // 1. Idle latency, request to email in the SMTP server's hands.
      const idle: number[] = [];
      for (let i = 0; i < 30; i++) {
        const email = `idle-${i}@measure.test`;
        const t0 = Date.now();
        await fetch(`${base}/api/v1/signups`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, consent: true }),
        });
        while (!received.has(email)) await new Promise((r) => setTimeout(r, 2));
        idle.push(received.get(email)! - t0);
      }

      // 2. Load: distinct addresses at full speed.
      const loadStart = Date.now();
      const result = await postDistinct(
        `${base}/api/v1/signups`,
        (n) => ({ email: `load-${n}@measure.test`, givenName: 'Nour', language: 'ar', consent: true }),
        { seconds, connections },
      );
      const { accepted } = result;
      const db = new Client({ connectionString: env.DATABASE_URL });
      await db.connect();
      const stored = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM signups WHERE email_normalized LIKE 'load-%'`)).rows[0]
        .n;
      const intents = (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM outbox o JOIN signups s ON o.payload->>'signupId' = s.id::text WHERE s.email_normalized LIKE 'load-%'`,
        )
      ).rows[0].n;
      // 3. How long until the worker has sent every confirmation of the load.
      const deadline = Date.now() + 600_000;
      let sent = 0;
      while (Date.now() < deadline) {
        sent = [...received.keys()].filter((k) => k.startsWith('load-')).length;
        if (sent >= stored) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const drainSeconds = (Date.now() - loadStart) / 1000;
      await db.end();

      console.log(`join flow, ${seconds}s at ${connections} connections (autocannon), API + 1 worker, ${new Date().toISOString()}`);
      console.log(`  accepted sign-ups/s      ${(accepted / seconds).toFixed(0)}   (non-2xx: ${result.non2xx}, errors: ${result.errors})`);
      console.log(`  latency p50 / p99        ${result.p50} ms / ${result.p99} ms`);
      console.log(
        `  stored / with intent     ${stored} / ${intents} of ${accepted} accepted (lost: ${lost(accepted, { stored, intents })})`,
      );
      console.log(
        `  confirmations sent       ${sent} in ${drainSeconds.toFixed(1)} s from load start (${(sent / drainSeconds).toFixed(0)}/s)`,
      );
      console.log(`  idle request→email       p50 ${percentile(idle, 50)} ms, p99 ${percentile(idle, 99)} ms (30 sequential sign-ups)`);
    } finally {
      await stopAll([api, ...workers]);
    }
  });
  smtp.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
