#!/usr/bin/env node
// Measures the people export as production runs it: the built API process on real
// PostgreSQL, 1,000,000 people seeded with COPY into a scratch database, the CSV read over
// HTTP as fast as this process can, the API's resident memory sampled all along; then the
// machine's own ceiling, /work/shared/bench/copy-raw.sh (PostgreSQL COPY to /dev/null) on the
// same database and query, in the same run.
//
//   npm run build && node scripts/measure-export.js [PEOPLE=1000000]
//
// Prints rows/s of the export and of the baseline, their ratio, time to first byte, the
// API's RSS before and at its peak, and a second download that stops reading for 5 s in the
// middle (back-pressure: the API's memory must not grow while the client does not read).
const { spawn, execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const http = require('node:http');
const { join } = require('node:path');
const { Client } = require('pg');
const { from: copyFrom } = require('pg-copy-streams');
const { copySql } = require('../dist/exports/csv-export.repository');
const { createOrganizer, migrate, randomPort, stopAll, waitUntilUp } = require('./lib/measure-platform');
const { withScratchDatabase } = require('./scratch-database');

const people = Number(process.argv[2] || 1_000_000);
const port = randomPort();
const COPY_RAW = join(__dirname, '..', '..', 'shared', 'bench', 'copy-raw.sh');
const copyRawPath = require('node:fs').existsSync(COPY_RAW) ? COPY_RAW : '/work/shared/bench/copy-raw.sh';

const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;
const mb = (bytes) => `${(bytes / 1048576).toFixed(0)} MB`;

async function seed(url) {
  const client = new Client({ connectionString: url });
  await client.connect();
  const names = ['أمل', 'سارا', 'Sam', 'Zahra', 'Élodie', 'محمد', 'Noor', 'Kian'];
  const countries = ['LB', 'IR', 'FR', 'EG', 'GB', 'TN'];
  const langs = ['ar', 'fa', 'fr', 'en'];
  const stream = client.query(
    copyFrom(`COPY people (email, email_normalized, given_name, family_name, country, postal_code, language, confirmed_at) FROM STDIN`),
  );
  const done = new Promise((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let i = 0;
  const write = () => {
    let ok = true;
    while (i < people && ok) {
      const email = `person-${i}@example.org`;
      const line = `${email}\t${email}\t${names[i % names.length]}\t${names[(i + 3) % names.length]} ${i}\t${countries[i % countries.length]}\t${10000 + (i % 90000)}\t${langs[i % langs.length]}\t2026-01-01 00:00:00+00\n`;
      i++;
      ok = stream.write(line);
    }
    if (i < people) stream.once('drain', write);
    else stream.end();
  };
  write();
  await done;
  await client.query(
    `INSERT INTO subscriptions (person_id, list_id, status, subscribed_at) SELECT p.id, l.id, 'subscribed', now() FROM people p, lists l WHERE l.is_default`,
  );
  await client.query(`INSERT INTO person_tags (person_id, tag) SELECT id, 'volunteer' FROM people WHERE random() < 0.1`);
  await client.query('VACUUM ANALYZE');
  await client.end();
}

function download(url, key, { pauseAtBytes, pauseMs, onFirstByte } = {}) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let bytes = 0;
    let lines = 0;
    let firstByteMs;
    let paused = false;
    http
      .get(url, { headers: { authorization: `Bearer ${key}` } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`export answered ${res.statusCode}`));
        res.on('data', (chunk) => {
          if (firstByteMs === undefined) {
            firstByteMs = Number(process.hrtime.bigint() - started) / 1e6;
            onFirstByte?.();
          }
          bytes += chunk.length;
          for (let j = chunk.indexOf(10); j !== -1; j = chunk.indexOf(10, j + 1)) lines++;
          if (pauseAtBytes && !paused && bytes > pauseAtBytes) {
            paused = true;
            res.pause();
            setTimeout(() => res.resume(), pauseMs);
          }
        });
        res.on('end', () => resolve({ bytes, rows: lines - 1, seconds: Number(process.hrtime.bigint() - started) / 1e9, firstByteMs }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

async function main() {
  await withScratchDatabase('campaign_measure_export', async (env) => {
    Object.assign(env, {
      PORT: String(port),
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      APP_SECRET: 'measure-secret-0123456789abcdef0123456789',
      REDIS_URL: env.REDIS_URL || 'redis://127.0.0.1:6379/6',
      QUEUE_PREFIX: `measure-export-${Date.now()}`,
    });
    migrate(env);
    let t = Date.now();
    await seed(env.DATABASE_URL);
    console.log(`seeded ${people.toLocaleString('en')} people (COPY) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    const key = createOrganizer(env, 'measure@example.org', 'organizer');

    const api = spawn(process.execPath, ['dist/main.js'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
    try {
      await waitUntilUp(`http://127.0.0.1:${port}/health/live`, 100);
      const query = copySql(
        (() => {
          // The same SELECT the export runs (every cell neutralised, timestamps formatted).
          const { PeopleRepository } = require('../dist/people/people.repository');
          return new PeopleRepository(null).exportQuery({});
        })(),
      ).replace(/^COPY \((.*)\) TO STDOUT WITH .*$/s, '$1');
      const copyRaw = (q) => {
        const out = execFileSync('bash', [copyRawPath, q], { env }).toString();
        return { rows: Number(/R_copy_rows_per_s (\d+)/.exec(out)[1]), mbs: Number(/R_copy_mb_per_s ([\d.]+)/.exec(out)[1]) };
      };
      const url = `http://127.0.0.1:${port}/api/v1/admin/exports/people.csv`;

      // Three rounds, the baseline and the export back to back each time (the machine is
      // shared and noisy: the best of each is the fairest pair).
      const rssIdle = rssOf(api.pid);
      let peak = rssIdle;
      const sampler = setInterval(() => (peak = Math.max(peak, rssOf(api.pid))), 20);
      const rounds = [];
      for (let i = 0; i < 3; i++) {
        const raw = copyRaw(query);
        const fast = await download(url, key);
        if (fast.rows !== people) throw new Error(`expected ${people} rows, got ${fast.rows}`);
        rounds.push({ raw, fast, rate: fast.rows / fast.seconds });
      }
      const peakFast = peak;
      const rawPlain = copyRaw('SELECT * FROM people');

      // Back-pressure: a client that stops reading for 5 s; the API's memory must stay flat.
      peak = rssOf(api.pid);
      const before = peak;
      const slow = await download(url, key, { pauseAtBytes: 20 * 1048576, pauseMs: 5000 });
      clearInterval(sampler);
      const peakSlow = peak;

      const fmt = (n) => Math.round(n).toLocaleString('en');
      for (const [i, r] of rounds.entries()) {
        console.log(
          `round ${i + 1}: export ${fmt(r.rate)} rows/s (${(r.fast.bytes / 1e6 / r.fast.seconds).toFixed(1)} MB/s, ${r.fast.seconds.toFixed(2)} s, first byte ${r.fast.firstByteMs.toFixed(1)} ms); copy-raw.sh same query ${fmt(r.raw.rows)} rows/s (${r.raw.mbs} MB/s)`,
        );
      }
      const best = Math.max(...rounds.map((r) => r.rate));
      const bestRaw = Math.max(...rounds.map((r) => r.raw.rows));
      const fast = rounds[0].fast;
      console.log(
        `export of ${fmt(people)} people (${mb(fast.bytes)}): best ${fmt(best)} rows/s = ${((100 * best) / bestRaw).toFixed(0)}% of copy-raw.sh on the same query (best ${fmt(bestRaw)} rows/s)`,
      );
      console.log(
        `copy-raw.sh SELECT * FROM people: ${fmt(rawPlain.rows)} rows/s (${rawPlain.mbs} MB/s) -> export = ${((100 * best) / rawPlain.rows).toFixed(0)}% of it`,
      );
      console.log(`API RSS: idle ${mb(rssIdle)}, peak over the three exports ${mb(peakFast)} (+${mb(peakFast - rssIdle)})`);
      console.log(
        `slow client (stops reading 5 s at 20 MB): ${slow.rows.toLocaleString('en')} rows; API RSS ${mb(before)} before, peak ${mb(peakSlow)} (+${mb(peakSlow - before)})`,
      );
      if (slow.rows !== people) throw new Error(`expected ${people} rows, got ${slow.rows}`);
    } finally {
      await stopAll([api]);
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
