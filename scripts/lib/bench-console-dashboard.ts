// The bench's dashboard scenario (issue 15): the console dashboard's time to first byte
// with the seeded people (--people, a million by default) all subscribed to the default
// list and --dashboard-signatures confirmed signatures (a million) spread over 90 days,
// seeded with generate_series-style set-based INSERTs (which also run the daily_counts
// triggers: the rollup is built the way production builds it). Baseline: the per-day count
// a dashboard without the rollup would run on the same rows.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { BenchContext } from './bench-context';
import autocannon from 'autocannon';
import { loadBuilt } from './paths';

const P99_TTFB_TARGET_MS = 200;
const SAMPLES = 200;
const CONNECTIONS = 8;

type CryptoModule = { sha256Hex: (value: string) => string };

/** Seeds the dashboard's rows once; returns how long each step took (s). */
async function seedDashboard(ctx: BenchContext): Promise<Record<string, number>> {
  const { db, options } = ctx;
  const took: Record<string, number> = {};
  const time = async (what: string, sql: string, params: unknown[] = []): Promise<void> => {
    const t = Date.now();
    await db.query(sql, params);
    took[what] = (Date.now() - t) / 1000;
  };
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO petitions (slug, title, summary, body, target, goal, language, status)
     VALUES ('bench-dashboard', 'Clean air now', 'Sign for clean air.', 'Body.', 'The city council', 2000000, 'en', 'open') RETURNING id`,
  );
  const petitionId = rows[0].id;
  await time(
    'signatures',
    `INSERT INTO signatures (petition_id, person_id, status, given_name, country, language, consent_text_version,
                             handled_requests, created_at, confirmed_at)
     SELECT $1, p.id, 'confirmed', p.given_name, p.country, p.language, 'petition-2026-11', 1, t.at, t.at
     FROM (SELECT id, given_name, country, language, row_number() OVER () AS n FROM people LIMIT $2) p
     CROSS JOIN LATERAL (SELECT now() - (p.n % 90) * interval '1 day' - (p.n % 86400) * interval '1 second' AS at) t`,
    [petitionId, options.dashboardSignatures],
  );
  await db.query(
    `INSERT INTO petition_counts (petition_id, confirmed_count) VALUES ($1, $2)
     ON CONFLICT (petition_id) DO UPDATE SET confirmed_count = excluded.confirmed_count`,
    [petitionId, options.dashboardSignatures],
  );
  const list = await db.query<{ id: string }>(`SELECT id FROM lists WHERE is_default`);
  const listId =
    list.rows[0]?.id ??
    (
      await db.query<{ id: string }>(
        `INSERT INTO lists (slug, name, is_default, is_public) VALUES ('members', 'Members', true, true) RETURNING id`,
      )
    ).rows[0].id;
  await time(
    'subscriptions',
    `INSERT INTO subscriptions (person_id, list_id, status, subscribed_at) SELECT id, $1, 'subscribed', now() FROM people
     ON CONFLICT DO NOTHING`,
    [listId],
  );
  const t = Date.now();
  await db.query('VACUUM ANALYZE signatures, subscriptions, daily_counts');
  took.vacuum = (Date.now() - t) / 1000;
  return took;
}

/** A console session of the bench's admin, as a sign-in would leave it: the cookie to send. */
async function consoleCookie(ctx: BenchContext): Promise<string> {
  const { sha256Hex } = loadBuilt<CryptoModule>('common/crypto.util');
  const rawId = randomBytes(32).toString('base64url');
  await ctx.db.query(
    `INSERT INTO console_sessions (id_hash, organizer_id, role, language, last_seen_at, expires_at)
     SELECT $1, id, role, 'en', now(), now() + interval '2 hours' FROM organizers WHERE role = 'admin' ORDER BY created_at LIMIT 1`,
    [sha256Hex(rawId)],
  );
  const name = ctx.env.PUBLIC_URL?.startsWith('https:') ? '__Host-console_session' : 'console_session';
  return `${name}=${rawId}`;
}

/** Time to the response's first byte (its status line), one request at a time. */
function ttfb(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    http
      .get(url, { headers: { cookie } }, (res) => {
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (res.statusCode !== 200) reject(new Error(`dashboard answered ${res.statusCode}`));
        res.resume();
        res.on('end', () => resolve(ms));
      })
      .on('error', reject);
  });
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

export async function dashboardScenario(ctx: BenchContext): Promise<void> {
  const seeded = await seedDashboard(ctx);
  const cookie = await consoleCookie(ctx);
  const counts = await ctx.db.query<{ people: number; signatures: number; rollup: number }>(
    `SELECT (SELECT count(*) FROM people)::int AS people, (SELECT count(*) FROM signatures WHERE status = 'confirmed')::int AS signatures,
            (SELECT count(*) FROM daily_counts)::int AS rollup`,
  );
  const { people, signatures, rollup } = counts.rows[0];
  const results: Record<string, { p50: number; p99: number }> = {};
  for (const days of [30, 90]) {
    const url = `${ctx.base}/console/dashboard?days=${days}`;
    for (let i = 0; i < 10; i++) await ttfb(url, cookie); // warm-up
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) samples.push(await ttfb(url, cookie));
    samples.sort((a, b) => a - b);
    results[days] = { p50: percentile(samples, 50), p99: percentile(samples, 99) };
  }
  const run = await autocannon({
    url: `${ctx.base}/console/dashboard?days=90`,
    connections: CONNECTIONS,
    duration: ctx.options.shortSeconds,
    headers: { cookie },
  });
  const loaded = { rps: run['2xx'] / ctx.options.shortSeconds, p50: run.latency.p50, p99: run.latency.p99, non2xx: run.non2xx };

  // What the rollup replaces: counting the signatures per day over 90 days.
  const naive = Date.now();
  await ctx.db.query(
    `SELECT (confirmed_at AT TIME ZONE 'UTC')::date AS day, count(*) FROM signatures
     WHERE status = 'confirmed' AND confirmed_at >= now() - interval '90 days' GROUP BY 1`,
  );
  const naiveMs = Date.now() - naive;
  const plan = await ctx.db.query<{ 'QUERY PLAN': string }>(
    `EXPLAIN (ANALYZE, BUFFERS) SELECT day, sum(n) FROM daily_counts
     WHERE metric = 'signature' AND subject = '00000000-0000-0000-0000-000000000000' AND day >= current_date - 89 GROUP BY day`,
  );

  ctx.details.dashboard = {
    people,
    signatures,
    rollupRows: rollup,
    seedSeconds: seeded,
    ttfb: results,
    load: loaded,
    naiveMs,
    plan: plan.rows.map((r) => r['QUERY PLAN']),
  };
  const sizes = `${people.toLocaleString('en')} people, ${signatures.toLocaleString('en')} signatures`;
  for (const days of [30, 90]) {
    ctx.report({
      scenario: 'dashboard',
      figure: `GET /console/dashboard?days=${days} TTFB p99 (${sizes})`,
      value: results[days].p99,
      unit: 'ms',
      baseline: days === 90 ? { name: 'per-day count(*) of the signatures, 90 days (no rollup)', value: naiveMs } : null,
      target: `< ${P99_TTFB_TARGET_MS} ms`,
      met: results[days].p99 < P99_TTFB_TARGET_MS,
      note: `p50 ${results[days].p50.toFixed(1)} ms, one request at a time, ${SAMPLES} samples; rollup ${rollup} rows`,
    });
  }
  ctx.report({
    scenario: 'dashboard',
    figure: `GET /console/dashboard?days=90 p99 at ${CONNECTIONS} connections`,
    value: loaded.p99,
    unit: 'ms',
    note: `${loaded.rps.toFixed(0)} req/s, p50 ${loaded.p50} ms, non-2xx ${loaded.non2xx}; seeding: ${Object.entries(seeded)
      .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
      .join(', ')}`,
  });
}
