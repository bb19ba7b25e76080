// Newsletter measures, importable (the `npm run bench` harness reuses them) and run by
// scripts/measure-newsletter.ts and scripts/measure-planning.ts:
//
//   smtpBaseline(messages, connections)  R_smtp: smtp-raw.mjs, same connection count
//   measureNewsletter(options)           a mailing sent by the built worker(s) to an SMTP sink
//   measurePlanning(options)             the time to plan (store every delivery row of) a mailing
//
// Each runs the built API and worker processes against a scratch database (dropped after)
// and a Redis database of its own (MEASURE_REDIS_URL, default redis://127.0.0.1:6379/6, with
// a fresh queue prefix), and changes nothing else. Build first (scripts/build.js --tools).
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { findBaselines } from './bench-setup';
import { createOrganizer, freePort, migrate, platformEnv, startPlatform, startSmtpSink, stopAll, waitUntilUp } from './measure-platform';
import { ROOT } from './paths';
import { withScratchDatabase } from '../scratch-database';

const REDIS_URL = process.env.MEASURE_REDIS_URL || 'redis://127.0.0.1:6379/6';
/**
 * The newsletter's HTML: `repeat` sentences after a greeting with the one variable most
 * newsletters use. 130 makes the whole message (HTML part in its layout, the text part
 * derived from it, headers) as big as smtp-raw.mjs's, about 9.3 KB, so the two rates compare
 * like with like; 300 makes it about twice that.
 */
const body = (repeat: number): string => '<p>Hello {{givenName}},</p><p>' + 'Lorem ipsum dolor sit amet. '.repeat(repeat) + '</p>';
const SAME_SIZE_AS_SMTP_RAW = 130;

/** R_smtp_msgs_per_s on this machine now, with `connections` SMTP connections (compare like with like). */
export function smtpBaseline(messages: number, connections: number): number {
  const script = join(findBaselines().dir, 'smtp-raw.mjs');
  const out = execFileSync(process.execPath, [script, String(messages), String(connections)], { cwd: ROOT }).toString();
  return Number(/R_smtp_msgs_per_s (\d+)/.exec(out)?.[1]);
}

/**
 * `count` subscribed people on one list `everyone`, set-based (INSERT ... SELECT
 * generate_series), in slices so a million rows never sit in one huge transaction.
 */
export async function seedSubscribers(db: Client, count: number, slice = 200_000): Promise<void> {
  await db.query(`INSERT INTO lists (slug, name) VALUES ('everyone', 'Everyone') ON CONFLICT DO NOTHING`);
  for (let from = 1; from <= count; from += slice) {
    const to = Math.min(count, from + slice - 1);
    await db.query(
      `WITH p AS (
         INSERT INTO people (email, email_normalized, given_name, language, confirmed_at)
         SELECT 'r' || i || '@example.org', 'r' || i || '@example.org', 'Reader ' || i, (ARRAY['en','ar','fa','fr'])[1 + i % 4], now()
         FROM generate_series($1::int, $2::int) AS i RETURNING id)
       INSERT INTO subscriptions (person_id, list_id, status, subscribed_at)
       SELECT id, (SELECT id FROM lists WHERE slug = 'everyone'), 'subscribed', now() FROM p`,
      [from, to],
    );
  }
  await db.query('VACUUM ANALYZE');
}

/** CPU time a process has used so far (user + system, every thread), in ms, from /proc (Linux). */
export function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** Resident memory of a process from /proc (Linux): current and peak (VmHWM), in MB. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return { rssMb: NaN, peakMb: NaN };
  }
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function createMailing(base: string, key: string, repeat = SAME_SIZE_AS_SMTP_RAW): Promise<string> {
  const BODY = body(repeat);
  const created = (await fetch(`${base}/api/v1/admin/mailings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Measure',
      audience: { lists: ['everyone'] },
      content: {
        en: { subject: 'News for {{givenName}}', html: BODY },
        ar: { subject: 'أخبار', html: BODY },
        fa: { subject: 'خبر', html: BODY },
      },
      defaultLanguage: 'en',
    }),
  }).then((r) => r.json())) as { id?: string };
  if (!created.id) throw new Error(`create answered ${JSON.stringify(created)}`);
  return created.id;
}

async function startSending(base: string, key: string, id: string): Promise<void> {
  const sent = await fetch(`${base}/api/v1/admin/mailings/${id}/send`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
  if (!sent.ok) throw new Error(`send answered ${sent.status}: ${await sent.text()}`);
}

/** DKIM settings with a fresh 2048-bit RSA key, as a production relay would sign with. */
function dkimEnv(): Record<string, string> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    DKIM_DOMAIN: 'measure.test',
    DKIM_SELECTOR: 'measure',
    DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export interface NewsletterOptions {
  recipients?: number;
  workers?: number;
  concurrency?: number;
  confirmationsPerSecond?: number;
  /** Sign every message with DKIM (a fresh RSA 2048 key). */
  dkim?: boolean;
  /** R_smtp already measured in this run with the same connections: skip measuring it again. */
  rSmtp?: number;
  cpuProfDir?: string;
  bodyRepeat?: number;
  log?: (line: string) => void;
}

export interface NewsletterResult {
  recipients: number;
  workers: number;
  concurrency: number;
  connections: number;
  dkim: boolean;
  rSmtp: number;
  emailsPerSecond: number;
  ratio: number;
  seconds: number;
  messageBytes: number;
  firstAfterSeconds: number;
  planningSeconds: number | null;
  received: number;
  duplicates: number;
  status: string;
  sentRecorded: number;
  workerIdleRssMb: number[];
  workerPeakRssMb: number[];
  workerRssByQuarterMb: number[];
  /** The workers' CPU time (every thread: the RSA signatures run on libuv's pool) per message sent, in ms. */
  workerCpuMsPerMessage: number;
  confirmations: { requested: number; arrived: number; p50Ms: number; p99Ms: number; maxMs: number } | null;
}

/**
 * Sends a `recipients` mailing with `workers` worker processes at MAILING_CONCURRENCY
 * `concurrency`, no rate cap, to an SMTP sink in this process, and answers:
 * emailsPerSecond (send → last message accepted), rSmtp (smtp-raw.mjs with the same number
 * of connections, workers × concurrency, run just before), ratio, planningSeconds, the
 * workers' peak RSS and their RSS sampled through the send (flat = no per-recipient
 * accumulation), duplicates (must be 0), and with `confirmationsPerSecond` > 0 the latency
 * of confirmation emails (POST /signups → message at the sink) requested during the send.
 * `cpuProfDir`: the workers run with --cpu-prof and write their profiles there.
 */
export async function measureNewsletter({
  recipients = 20_000,
  workers = 1,
  concurrency = 4,
  confirmationsPerSecond = 0,
  dkim = false,
  rSmtp: knownRSmtp,
  cpuProfDir,
  bodyRepeat = SAME_SIZE_AS_SMTP_RAW,
  log = () => undefined,
}: NewsletterOptions = {}): Promise<NewsletterResult> {
  const connections = workers * concurrency;
  const rSmtp = knownRSmtp ?? smtpBaseline(Math.min(recipients, 10_000), connections);
  if (knownRSmtp === undefined) log(`R_smtp_msgs_per_s ${rSmtp} (smtp-raw.mjs, ${connections} connections)`);

  const received = new Map<string, number>();
  const confirmationArrivals = new Map<string, number>();
  let first = 0;
  let last = 0;
  let bytes = 0;
  const smtp = await startSmtpSink((addresses, size) => {
    const now = Date.now();
    if (!addresses[0]?.startsWith('confirm-')) bytes += size;
    for (const a of addresses) {
      if (a.startsWith('confirm-')) {
        confirmationArrivals.set(a, now);
        continue;
      }
      last = now;
      first ||= now;
      received.set(a, (received.get(a) ?? 0) + 1);
    }
  });
  const port = await freePort();
  let result: NewsletterResult | undefined;
  try {
    await withScratchDatabase('campaign_measure_newsletter', async (env) => {
      platformEnv(env, {
        port,
        smtpPort: smtp.port,
        REDIS_URL,
        MAIL_RATE_PER_SECOND: '0',
        MAILING_CONCURRENCY: String(concurrency),
        PUBLIC_URL: 'https://act.measure.test',
        MAIL_FROM: 'Movement <news@measure.test>',
        ...(dkim ? dkimEnv() : {}),
      });
      migrate(env);
      const key = createOrganizer(env, 'measure@measure.test', 'admin');
      const db = new Client({ connectionString: env.DATABASE_URL });
      await db.connect();
      await seedSubscribers(db, recipients);

      const platform = startPlatform(env, { workers, workerNodeArgs: cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`] : [] });
      const samples: Array<{ at: number; mb: number[] }> = [];
      let sampler: NodeJS.Timeout | undefined;
      try {
        const base = `http://127.0.0.1:${port}`;
        await waitUntilUp(`${base}/health/ready`);
        await new Promise((r) => setTimeout(r, 2_000)); // let the workers connect
        const id = await createMailing(base, key, bodyRepeat);
        const idleMb = platform.workers.map((w) => memoryOf(w.pid!).rssMb);
        const cpuBefore = platform.workers.reduce((sum, w) => sum + cpuMsOf(w.pid!), 0);
        const t0 = Date.now();
        sampler = setInterval(
          () => samples.push({ at: received.size / recipients, mb: platform.workers.map((w) => memoryOf(w.pid!).rssMb) }),
          500,
        );
        await startSending(base, key, id);

        // Confirmation emails requested while the newsletter goes out, at a steady pace.
        const requested = new Map<string, number>();
        let n = 0;
        const requester =
          confirmationsPerSecond > 0
            ? setInterval(() => {
                if (received.size >= recipients) return;
                const email = `confirm-${Date.now()}-${n++}@example.org`;
                requested.set(email, Date.now());
                fetch(`${base}/api/v1/signups`, {
                  method: 'POST',
                  headers: { 'content-type': 'application/json' },
                  body: JSON.stringify({ email, givenName: 'Measure', consent: true }),
                }).catch(() => requested.delete(email));
              }, 1000 / confirmationsPerSecond)
            : undefined;

        const deadline = Date.now() + 60 * 60_000;
        while (received.size < recipients && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        clearInterval(requester);
        clearInterval(sampler);
        const seconds = (last - t0) / 1000;
        const peakMb = platform.workers.map((w) => memoryOf(w.pid!).peakMb);
        const cpuMs = platform.workers.reduce((sum, w) => sum + cpuMsOf(w.pid!), 0) - cpuBefore;
        // Confirmations still on their way after the newsletter: wait a little for them.
        const confirmDeadline = Date.now() + 30_000;
        while (confirmationArrivals.size < requested.size && Date.now() < confirmDeadline) await new Promise((r) => setTimeout(r, 100));
        const latencies = [...requested].map(([email, at]) => (confirmationArrivals.get(email) ?? Infinity) - at).sort((a, b) => a - b);

        const [plan] = (
          await db.query<{ s: number }>(`SELECT extract(epoch from planned_at - started_at)::float AS s FROM mailings WHERE id = $1`, [id])
        ).rows;
        await new Promise((r) => setTimeout(r, 1_000));
        const [stats] = (
          await db.query<{ status: string; sent: number }>(
            `SELECT status, (SELECT count(*) FILTER (WHERE status = 'sent') FROM mailing_deliveries WHERE mailing_id = $1)::int AS sent FROM mailings WHERE id = $1`,
            [id],
          )
        ).rows;
        const emailsPerSecond = Math.round(recipients / seconds);
        // RSS through the send, by quarter of the recipients received (after the first tenth, once warm).
        const quarter = (lo: number, hi: number): number =>
          Math.max(0, ...samples.filter((s) => s.at >= lo && s.at < hi).flatMap((s) => s.mb));
        result = {
          recipients,
          workers,
          concurrency,
          connections,
          dkim,
          rSmtp,
          emailsPerSecond,
          ratio: Number((emailsPerSecond / rSmtp).toFixed(2)),
          seconds: Number(seconds.toFixed(1)),
          messageBytes: Math.round(bytes / Math.max(1, received.size)),
          firstAfterSeconds: Number(((first - t0) / 1000).toFixed(2)),
          planningSeconds: plan?.s ?? null,
          received: received.size,
          duplicates: [...received.values()].filter((c) => c > 1).length,
          status: stats.status,
          sentRecorded: stats.sent,
          workerIdleRssMb: idleMb.map((m) => Math.round(m)),
          workerPeakRssMb: peakMb.map((m) => Math.round(m)),
          workerRssByQuarterMb: [
            [0.1, 0.25],
            [0.25, 0.5],
            [0.5, 0.75],
            [0.75, 1.01],
          ].map(([lo, hi]) => Math.round(quarter(lo, hi))),
          workerCpuMsPerMessage: Number((cpuMs / Math.max(1, received.size)).toFixed(3)),
          confirmations:
            confirmationsPerSecond > 0
              ? {
                  requested: requested.size,
                  arrived: latencies.filter(Number.isFinite).length,
                  p50Ms: percentile(latencies, 50),
                  p99Ms: percentile(latencies, 99),
                  maxMs: latencies[latencies.length - 1] ?? NaN,
                }
              : null,
        };
      } finally {
        clearInterval(sampler);
        await stopAll([platform.api, ...platform.workers]);
        await db.end();
      }
    });
  } finally {
    smtp.close();
  }
  return result!;
}

export interface PlanningResult {
  recipients: number;
  batchSize: number;
  planningSeconds: number;
  deliveryRows: number;
  batches: number;
}

/**
 * Plans a mailing to `recipients` subscribers (seeded set-based in a scratch database) with
 * the built worker, as production does, and answers the planning time (mailing started →
 * planned_at, every delivery row and batch intent stored) and the rows stored. Sending is
 * held to 1 message/s (MAIL_RATE_PER_SECOND) so the figure is the planner's own.
 */
export async function measurePlanning({
  recipients = 1_000_000,
  batchSize = 1_000,
  log = () => undefined,
}: { recipients?: number; batchSize?: number; log?: (line: string) => void } = {}): Promise<PlanningResult> {
  const smtp = await startSmtpSink(() => undefined);
  const port = await freePort();
  let result: PlanningResult | undefined;
  try {
    await withScratchDatabase('campaign_measure_planning', async (env) => {
      platformEnv(env, {
        port,
        smtpPort: smtp.port,
        REDIS_URL,
        MAIL_RATE_PER_SECOND: '1',
        MAILING_BATCH_SIZE: String(batchSize),
        PUBLIC_URL: 'https://act.measure.test',
      });
      migrate(env);
      const key = createOrganizer(env, 'measure@measure.test', 'admin');
      const db = new Client({ connectionString: env.DATABASE_URL });
      await db.connect();
      const s0 = Date.now();
      await seedSubscribers(db, recipients);
      log(`seeded ${recipients} subscribers in ${((Date.now() - s0) / 1000).toFixed(1)} s`);
      const platform = startPlatform(env, { workers: 1 });
      try {
        const base = `http://127.0.0.1:${port}`;
        await waitUntilUp(`${base}/health/ready`);
        await new Promise((r) => setTimeout(r, 2_000));
        const id = await createMailing(base, key);
        await startSending(base, key, id);
        const deadline = Date.now() + 30 * 60_000;
        let row: { done: boolean; s: number; planned_batches: number };
        do {
          await new Promise((r) => setTimeout(r, 250));
          [row] = (
            await db.query<{ done: boolean; s: number; planned_batches: number }>(
              `SELECT planned_at IS NOT NULL AS done, extract(epoch from planned_at - started_at)::float AS s, planned_batches FROM mailings WHERE id = $1`,
              [id],
            )
          ).rows;
        } while (!row.done && Date.now() < deadline);
        const [{ n }] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM mailing_deliveries WHERE mailing_id = $1`, [id]))
          .rows;
        result = { recipients, batchSize, planningSeconds: row.s, deliveryRows: n, batches: row.planned_batches };
        // Sending is held to 1 message/s: without a cancel the worker's SIGTERM would wait for
        // its batch to finish at that pace (a thousand seconds).
        await fetch(`${base}/api/v1/admin/mailings/${id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${key}` } });
      } finally {
        // The worker's batches wait on the 1/s rate and would hold a graceful stop for ages;
        // nothing of it is needed after the measure (the scratch database is dropped).
        for (const w of platform.workers) w.kill('SIGKILL');
        await stopAll([platform.api, ...platform.workers]);
        await db.end();
      }
    });
  } finally {
    smtp.close();
  }
  return result!;
}
