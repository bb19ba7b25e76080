#!/usr/bin/env node
// Measures the sign path as production runs it: the built API and one worker process,
// real PostgreSQL and Redis, an SMTP server in this process that accepts everything.
//
//   npm run build && node scripts/measure-sign.js [SECONDS=15] [CONNECTIONS=32]
//
// Prints: accepted signatures/s and latency (autocannon, distinct addresses on one open
// petition), that every accepted signature and its outbox intent is stored (0 lost), how
// long the worker took to send every confirmation, and that the petition row was never
// updated by signing. Uses its own database (campaign_measure_sign) and Redis database 6
// with rate limiting off; changes nothing else.
const autocannon = require('autocannon');
const { Client } = require('pg');
const { migrate, platformEnv, randomPort, startPlatform, startSmtpSink, stopAll, waitUntilUp } = require('./lib/measure-platform');
const { withScratchDatabase } = require('./scratch-database');

const seconds = Number(process.argv[2] || 15);
const connections = Number(process.argv[3] || 32);
const port = randomPort();

async function main() {
  const received = new Set();
  const smtp = await startSmtpSink((addresses) => {
    for (const a of addresses) received.add(a.toLowerCase());
  });

  await withScratchDatabase('campaign_measure_sign', async (env) => {
    platformEnv(env, { port, smtpPort: smtp.port });
    migrate(env);
    const db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const slug = 'measure-petition';
    const [{ id: petitionId }] = (
      await db.query(
        `INSERT INTO petitions (slug, title, summary, body, target, goal, language, status)
         VALUES ($1, 'Measure', 'Summary', 'Body', 'Target', 1000, 'en', 'open') RETURNING id`,
        [slug],
      )
    ).rows;
    const { api, workers } = startPlatform(env);
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntilUp(`${base}/health/ready`);

      let n = 0;
      const loadStart = Date.now();
      const result = await autocannon({
        url: `${base}/api/v1/petitions/${slug}/signatures`,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({
                email: `load-${n++}@measure.test`,
                givenName: 'Nour',
                familyName: 'Haddad',
                country: 'LB',
                language: 'ar',
                comment: 'حرية',
                publicName: true,
                referrer: { source: 'measure' },
              }),
            }),
          },
        ],
      });
      const accepted = result['2xx'];
      const stored = (await db.query(`SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1`, [petitionId])).rows[0].n;
      const intents = (
        await db.query(
          `SELECT count(*)::int AS n FROM outbox o JOIN signatures s ON o.payload->>'signatureId' = s.id::text WHERE s.petition_id = $1`,
          [petitionId],
        )
      ).rows[0].n;
      const deadline = Date.now() + 600_000;
      let sent = 0;
      while (Date.now() < deadline) {
        sent = [...received].filter((k) => k.startsWith('load-')).length;
        if (sent >= stored) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const drainSeconds = (Date.now() - loadStart) / 1000;
      const [{ untouched }] = (await db.query(`SELECT updated_at = created_at AS untouched FROM petitions WHERE id = $1`, [petitionId]))
        .rows;

      console.log(`sign path, ${seconds}s at ${connections} connections (autocannon), API + 1 worker, ${new Date().toISOString()}`);
      console.log(`  accepted signatures/s    ${(accepted / seconds).toFixed(0)}   (non-2xx: ${result.non2xx}, errors: ${result.errors})`);
      console.log(`  latency p50 / p99        ${result.latency.p50} ms / ${result.latency.p99} ms`);
      console.log(
        `  stored / with intent     ${stored} / ${intents} of ${accepted} accepted (lost: ${Math.max(0, accepted - Math.min(stored, intents))})`,
      );
      console.log(
        `  confirmations sent       ${sent} in ${drainSeconds.toFixed(1)} s from load start (${(sent / drainSeconds).toFixed(0)}/s)`,
      );
      console.log(`  petition row untouched   ${untouched ? 'yes' : 'NO'} (no per-signature UPDATE)`);
    } finally {
      await db.end();
      await stopAll([api, ...workers]);
    }
  });
  smtp.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
