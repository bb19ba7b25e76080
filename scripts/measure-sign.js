#!/usr/bin/env node
// Measures the sign path and the public petition read as production runs them: the built
// API and one worker process, real PostgreSQL and Redis, an SMTP server in this process that
// accepts everything, each figure beside the machine's own limit taken in the same run.
//
//   npm run build && node scripts/measure-sign.js [SECONDS=15] [CONNECTIONS=32] [SEED=0]
//
// In order:
//   1. R_pg_sign_tps: ../shared/bench/pg-sign.sh (or $PG_SIGN_SH) for 10 s, when present;
//   2. SEED signatures written straight to the petition (to show that the millionth
//      signature costs what the first did);
//   3. POST signatures, distinct addresses, full speed (autocannon) → accepted/s, p50/p99;
//   4. the same at 80 % of R_pg_sign_tps (a fixed rate) → p99;
//   5. every accepted signature and its outbox intent stored (0 lost), confirmations sent,
//      the petition row never updated by signing;
//   6. GET the public petition alone, then bench/bare-nest (a bare Nest hello route) with
//      the same settings → req/s and their ratio.
// Uses its own database (campaign_measure_sign) and Redis database 6 with rate limiting
// off; changes nothing else.
const autocannon = require('autocannon');
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { Client } = require('pg');
const { migrate, platformEnv, randomPort, startPlatform, startSmtpSink, stopAll, waitUntilUp } = require('./lib/measure-platform');
const { withScratchDatabase } = require('./scratch-database');

const seconds = Number(process.argv[2] || 15);
const connections = Number(process.argv[3] || 32);
const seed = Number(process.argv[4] || 0);
const port = randomPort();
const root = path.join(__dirname, '..');
const pgSignScript = process.env.PG_SIGN_SH || path.join(root, '..', 'shared', 'bench', 'pg-sign.sh');

/** R_pg_sign_tps on this machine now, or undefined when the baseline script is not there. */
function pgSignTps(env) {
  if (!fs.existsSync(pgSignScript)) return undefined;
  const out = execFileSync(pgSignScript, ['10'], { cwd: root, env, encoding: 'utf8' });
  const match = /R_pg_sign_tps ([0-9.]+)/.exec(out);
  return match ? Number(match[1]) : undefined;
}

/** N signatures on the petition, written in SQL as the API would have left them. */
async function seedSignatures(db, petitionId, n) {
  const chunk = 100_000;
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk) - 1;
    await db.query(
      `WITH p AS (
         INSERT INTO people (email, email_normalized)
         SELECT 'seed-' || i || '@measure.test', 'seed-' || i || '@measure.test' FROM generate_series($2::int, $3::int) i
         RETURNING id
       )
       INSERT INTO signatures (petition_id, person_id, given_name, country, consent_text_version, status, handled_requests, confirmed_at)
       SELECT $1, id, 'Seed', 'FR', 'seed', 'confirmed', 1, now() FROM p`,
      [petitionId, from, to],
    );
  }
  await db.query('ANALYZE people; ANALYZE signatures');
}

async function main() {
  const received = new Set();
  const smtp = await startSmtpSink((addresses) => {
    for (const a of addresses) received.add(a.toLowerCase());
  });

  await withScratchDatabase('campaign_measure_sign', async (env) => {
    platformEnv(env, { port, smtpPort: smtp.port });
    const rPg = pgSignTps(env);
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
    if (seed > 0) await seedSignatures(db, petitionId, seed);
    const { api, workers } = startPlatform(env);
    const bareNestPort = port + 1;
    const bareNest = spawn(process.execPath, [path.join(root, 'bench', 'bare-nest', 'main.js'), String(bareNestPort)], {
      stdio: 'ignore',
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      // On a busy machine the API may take longer to start than waitUntilUp's 20 s.
      for (let i = 0; i < 6; i++) await waitUntilUp(`${base}/health/ready`);
      await waitUntilUp(`http://127.0.0.1:${bareNestPort}/hello`);

      let n = 0;
      const signLoad = (extra) =>
        autocannon({
          url: `${base}/api/v1/petitions/${slug}/signatures`,
          connections,
          duration: seconds,
          ...extra,
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
      // Warm-up (JIT, pools, the prepared statement), counted in the loss check below.
      const warm = await signLoad({ duration: 3 });
      const loadStart = Date.now();
      const full = await signLoad({});
      const rate = rPg ? Math.round(0.8 * rPg) : undefined;
      const paced = rate ? await signLoad({ overallRate: rate }) : undefined;
      const accepted = warm['2xx'] + full['2xx'] + (paced ? paced['2xx'] : 0);
      const stored = (
        await db.query(`SELECT count(*)::int AS n FROM signatures WHERE petition_id = $1 AND given_name <> 'Seed'`, [petitionId])
      ).rows[0].n;
      const intents = (
        await db.query(
          `SELECT count(*)::int AS n FROM outbox o JOIN signatures s ON o.payload->>'signatureId' = s.id::text WHERE s.petition_id = $1`,
          [petitionId],
        )
      ).rows[0].n;
      const deadline = Date.now() + 120_000;
      let sent = 0;
      while (Date.now() < deadline) {
        sent = [...received].filter((k) => k.startsWith('load-')).length;
        if (sent >= stored) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      const drainSeconds = (Date.now() - loadStart) / 1000;
      const [{ untouched }] = (await db.query(`SELECT updated_at = created_at AS untouched FROM petitions WHERE id = $1`, [petitionId]))
        .rows;

      await autocannon({ url: `http://127.0.0.1:${bareNestPort}/hello`, connections, duration: 3 });
      const read = await autocannon({ url: `${base}/api/v1/petitions/${slug}`, connections, duration: seconds });
      const bare = await autocannon({ url: `http://127.0.0.1:${bareNestPort}/hello`, connections, duration: seconds });

      const ratio = (a, b) => (b ? (a / b).toFixed(2) : 'n/a');
      const fullRate = full['2xx'] / seconds;
      console.log(`sign path, ${seconds}s at ${connections} connections (autocannon), API + 1 worker, ${new Date().toISOString()}`);
      console.log(`  R_pg_sign_tps            ${rPg ? rPg.toFixed(0) : `n/a (no ${pgSignScript})`}`);
      if (seed > 0) console.log(`  petition size before     ${seed} signatures (seeded)`);
      console.log(
        `  accepted signatures/s    ${fullRate.toFixed(0)}   (${ratio(fullRate, rPg)} × R_pg_sign_tps; non-2xx: ${full.non2xx}, errors: ${full.errors})`,
      );
      console.log(`  latency p50 / p99        ${full.latency.p50} ms / ${full.latency.p99} ms`);
      if (paced) {
        console.log(
          `  at 80 % of R_pg (${rate}/s)  ${(paced['2xx'] / seconds).toFixed(0)}/s accepted, p50 / p99 ${paced.latency.p50} ms / ${paced.latency.p99} ms (non-2xx: ${paced.non2xx})`,
        );
      }
      console.log(
        `  stored / with intent     ${stored} / ${intents} of ${accepted} accepted (lost: ${Math.max(0, accepted - Math.min(stored, intents))})`,
      );
      console.log(
        `  confirmations sent       ${sent} of ${stored} in ${drainSeconds.toFixed(1)} s from load start (${(sent / drainSeconds).toFixed(0)}/s)`,
      );
      console.log(`  petition row untouched   ${untouched ? 'yes' : 'NO'} (no per-signature UPDATE)`);
      console.log(
        `  public GET alone         ${read.requests.average.toFixed(0)} req/s, p99 ${read.latency.p99} ms; bare Nest ${bare.requests.average.toFixed(0)} req/s (${ratio(read.requests.average, bare.requests.average)} × bare Nest)`,
      );
    } finally {
      await db.end();
      bareNest.kill('SIGTERM');
      await stopAll([api, ...workers]);
    }
  });
  smtp.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
