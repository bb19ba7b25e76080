#!/usr/bin/env node
// Measures newsletter sending as production runs it: the built API and worker processes,
// real PostgreSQL and Redis, an SMTP server that accepts and discards everything. In the
// same run it measures the machine's own ceiling, R_smtp (../shared/bench/smtp-raw.mjs:
// nodemailer's pool sending pre-built 8 KB messages, no application), so the figure reads
// as a ratio.
//
//   npm run build && node scripts/measure-newsletter.js [RECIPIENTS=20000] [WORKERS=1] [MAILING_CONCURRENCY=4]
//
// Prints R_smtp, the planning time (every delivery row stored), the sending rate (emails
// per second from "send" to the last message accepted by the SMTP server), and checks that
// every recipient received exactly one. No rate cap (MAIL_RATE_PER_SECOND=0). Uses its own
// scratch database and Redis database 6; changes nothing else.
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { Client } = require('pg');
const {
  createOrganizer,
  migrate,
  platformEnv,
  randomPort,
  startPlatform,
  startSmtpSink,
  stopAll,
  waitUntilUp,
} = require('./lib/measure-platform');
const { withScratchDatabase } = require('./scratch-database');

const recipients = Number(process.argv[2] || 20_000);
const workers = Number(process.argv[3] || 1);
const concurrency = Number(process.argv[4] || 4);
const port = randomPort();
const BENCH = join(__dirname, '..', '..', '..', 'shared', 'bench', 'smtp-raw.mjs');

function baseline() {
  const script = existsSync(BENCH) ? BENCH : '/work/shared/bench/smtp-raw.mjs';
  const out = execFileSync(process.execPath, [script, String(Math.min(recipients, 10_000)), '10'], {
    cwd: join(__dirname, '..'),
  }).toString();
  return Number(/R_smtp_msgs_per_s (\d+)/.exec(out)?.[1]);
}

async function main() {
  const rSmtp = baseline();
  console.log(`R_smtp_msgs_per_s ${rSmtp} (smtp-raw.mjs, 10 connections, 8 KB messages)`);

  const received = new Map();
  let first = 0;
  let last = 0;
  const smtp = await startSmtpSink((addresses) => {
    last = Date.now();
    first ||= last;
    for (const a of addresses) received.set(a, (received.get(a) ?? 0) + 1);
  });

  await withScratchDatabase('campaign_measure_newsletter', async (env) => {
    platformEnv(env, {
      port,
      smtpPort: smtp.port,
      MAIL_RATE_PER_SECOND: '0',
      MAILING_CONCURRENCY: String(concurrency),
      PUBLIC_URL: 'https://act.measure.test',
      MAIL_FROM: 'Movement <news@measure.test>',
    });
    migrate(env);
    const key = createOrganizer(env, 'measure@measure.test', 'admin');

    const db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    await db.query(`INSERT INTO lists (slug, name) VALUES ('everyone', 'Everyone')`);
    await db.query(
      `WITH p AS (
         INSERT INTO people (email, email_normalized, given_name, language, confirmed_at)
         SELECT 'r' || i || '@example.org', 'r' || i || '@example.org', 'Reader ' || i, (ARRAY['en','ar','fa','fr'])[1 + i % 4], now()
         FROM generate_series(1, $1) AS i RETURNING id)
       INSERT INTO subscriptions (person_id, list_id, status, subscribed_at)
       SELECT id, (SELECT id FROM lists WHERE slug = 'everyone'), 'subscribed', now() FROM p`,
      [recipients],
    );
    await db.query('ANALYZE');

    const platform = startPlatform(env, { workers });
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntilUp(`${base}/health/ready`);
      await new Promise((r) => setTimeout(r, 2_000)); // let the workers connect
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      const body = '<p>Hello {{givenName}},</p><p>' + 'Lorem ipsum dolor sit amet. '.repeat(300) + '</p>';
      const created = await fetch(`${base}/api/v1/admin/mailings`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          name: 'Measure',
          audience: { lists: ['everyone'] },
          content: {
            en: { subject: 'News for {{givenName}}', html: body },
            ar: { subject: 'أخبار', html: body },
            fa: { subject: 'خبر', html: body },
          },
          defaultLanguage: 'en',
        }),
      }).then((r) => r.json());
      if (!created.id) throw new Error(`create answered ${JSON.stringify(created)}`);
      const t0 = Date.now();
      const sent = await fetch(`${base}/api/v1/admin/mailings/${created.id}/send`, {
        method: 'POST',
        headers: { authorization: headers.authorization },
      });
      if (!sent.ok) throw new Error(`send answered ${sent.status}: ${await sent.text()}`);
      const deadline = Date.now() + 30 * 60_000;
      while (received.size < recipients && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const seconds = (last - t0) / 1000;
      const [plan] = (
        await db.query(`SELECT extract(epoch from planned_at - started_at)::float AS s FROM mailings WHERE id = $1`, [created.id])
      ).rows;
      await new Promise((r) => setTimeout(r, 1_000));
      const stats = await fetch(`${base}/api/v1/admin/mailings/${created.id}`, { headers }).then((r) => r.json());
      const duplicates = [...received.values()].filter((n) => n > 1).length;
      const rate = Math.round(recipients / seconds);
      console.log(`recipients ${recipients}, workers ${workers}, MAILING_CONCURRENCY ${concurrency}`);
      console.log(`planning: ${plan.s.toFixed(2)} s for ${recipients} delivery rows`);
      console.log(
        `newsletter_emails_per_s ${rate} (send → last accepted: ${seconds.toFixed(1)} s; first after ${((first - t0) / 1000).toFixed(2)} s)`,
      );
      console.log(`ratio to R_smtp: ${(rate / rSmtp).toFixed(2)}`);
      console.log(
        `received ${received.size}/${recipients}, duplicates ${duplicates}, status ${stats.status}, stats ${JSON.stringify(stats.stats)}`,
      );
    } finally {
      await stopAll([platform.api, ...platform.workers]);
      await db.end();
    }
  });
  smtp.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
