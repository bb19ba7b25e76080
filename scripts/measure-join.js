#!/usr/bin/env node
// Measures the join flow as production runs it: the built API and one worker process,
// real PostgreSQL and Redis, an SMTP server in this process that accepts everything.
//
//   npm run build && node scripts/measure-join.js [SECONDS=15] [CONNECTIONS=32]
//
// Prints: accepted sign-ups/s and latency (autocannon, distinct addresses), that every
// accepted sign-up and its outbox intent is stored (0 lost), how long the worker took to
// send every confirmation, and the idle request→email latency. Uses its own database
// (campaign_measure) and Redis database 6 with rate limiting off; changes nothing else.
const { spawn } = require('node:child_process');
const { SMTPServer } = require('smtp-server');
const autocannon = require('autocannon');
const { Client } = require('pg');
const { withScratchDatabase } = require('./scratch-database');

const seconds = Number(process.argv[2] || 15);
const connections = Number(process.argv[3] || 32);
const port = 3000 + Math.floor(Math.random() * 2000) + 2000;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const received = new Map();
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      stream.resume();
      stream.on('end', () => {
        for (const r of session.envelope.rcptTo) received.set(r.address.toLowerCase(), Date.now());
        cb();
      });
    },
  });
  await new Promise((r) => smtp.listen(0, '127.0.0.1', r));
  const smtpPort = smtp.server.address().port;

  await withScratchDatabase('campaign_measure', async (env) => {
    Object.assign(env, {
      PORT: String(port),
      REDIS_URL: 'redis://127.0.0.1:6379/6',
      QUEUE_PREFIX: `measure-${Date.now()}`,
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}?tls=off`,
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      APP_SECRET: 'measure-secret-0123456789abcdef0123456789',
    });
    const run = (args) =>
      new Promise((resolve, reject) => {
        const p = spawn(process.execPath, args, { env, stdio: 'ignore' });
        p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`))));
      });
    await run([require.resolve('typeorm/cli.js'), 'migration:run', '-d', 'dist/database/data-source.js']);
    const api = spawn(process.execPath, ['dist/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    const worker = spawn(process.execPath, ['dist/worker.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 100; i++) {
        if (
          await fetch(`${base}/health/ready`).then(
            (r) => r.ok,
            () => false,
          )
        )
          break;
        await new Promise((r) => setTimeout(r, 200));
      }

      // 1. Idle latency, request to email in the SMTP server's hands.
      const idle = [];
      for (let i = 0; i < 30; i++) {
        const email = `idle-${i}@measure.test`;
        const t0 = Date.now();
        await fetch(`${base}/api/v1/signups`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, consent: true }),
        });
        while (!received.has(email)) await new Promise((r) => setTimeout(r, 2));
        idle.push(received.get(email) - t0);
      }
      idle.sort((a, b) => a - b);

      // 2. Load: distinct addresses at full speed.
      let n = 0;
      const loadStart = Date.now();
      const result = await autocannon({
        url: `${base}/api/v1/signups`,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req) => ({
              ...req,
              body: JSON.stringify({ email: `load-${n++}@measure.test`, givenName: 'Nour', language: 'ar', consent: true }),
            }),
          },
        ],
      });
      const accepted = result['2xx'];
      const db = new Client({ connectionString: env.DATABASE_URL });
      await db.connect();
      const stored = (await db.query(`SELECT count(*)::int AS n FROM signups WHERE email_normalized LIKE 'load-%'`)).rows[0].n;
      const intents = (
        await db.query(
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
      console.log(`  latency p50 / p99        ${result.latency.p50} ms / ${result.latency.p99} ms`);
      console.log(
        `  stored / with intent     ${stored} / ${intents} of ${accepted} accepted (lost: ${Math.max(0, accepted - Math.min(stored, intents))})`,
      );
      console.log(
        `  confirmations sent       ${sent} in ${drainSeconds.toFixed(1)} s from load start (${(sent / drainSeconds).toFixed(0)}/s)`,
      );
      console.log(`  idle request→email       p50 ${percentile(idle, 50)} ms, p99 ${percentile(idle, 99)} ms (30 sequential sign-ups)`);
    } finally {
      api.kill('SIGTERM');
      worker.kill('SIGTERM');
      await Promise.all([api, worker].map((p) => new Promise((r) => (p.exitCode !== null ? r() : p.on('exit', r)))));
    }
  });
  smtp.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
