// The bench's export scenario: every seeded person as CSV over HTTP against copy-raw.sh on
// the export's own query and on SELECT *, the API's memory all along, then a client that
// stops reading for 5 s (back-pressure: the API must not buffer what the client does not take).
const http = require('node:http');
const { join } = require('node:path');
const { ROOT } = require('./bench-setup');
const { memoryOf } = require('./measure-newsletter');

const MB = 2 ** 20;
const GROWTH_TARGET_MB = 100;

/** The SELECT the people export runs (every cell neutralised, timestamps formatted), from the build. */
function exportSelect() {
  const { copySql } = require(join(ROOT, 'dist', 'exports', 'csv-export.repository'));
  const { PeopleRepository } = require(join(ROOT, 'dist', 'people', 'people.repository'));
  return copySql(new PeopleRepository(null).exportQuery({})).replace(/^COPY \((.*)\) TO STDOUT WITH .*$/s, '$1');
}

/** Samples a process's RSS (MB) every `ms` until stop(); returns { start, peak } in MB. */
function sampleRss(pid, ms) {
  const start = memoryOf(pid).rssMb;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, memoryOf(pid).rssMb || 0)), ms);
  return {
    stop: () => {
      clearInterval(timer);
      return { start, peak };
    },
  };
}

function download(url, key, { pauseAtBytes, pauseMs } = {}) {
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
          firstByteMs ??= Number(process.hrtime.bigint() - started) / 1e6;
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

async function exportScenario(ctx) {
  const { baselines, platform } = ctx;
  const url = `${ctx.base}/api/v1/admin/exports/people.csv`;
  const query = exportSelect();
  const rawSame = await baselines.copyRaw(query, ctx.env.DATABASE_URL);

  // The seeded people and everyone the sign scenario added.
  const people = (await ctx.db.query('SELECT count(*)::int AS n FROM people')).rows[0].n;
  const rss = sampleRss(platform.api.pid, 20);
  const fast = await download(url, ctx.key);
  const fastMemory = rss.stop();
  if (fast.rows !== people) throw new Error(`export gave ${fast.rows} rows of ${people}`);
  const rate = fast.rows / fast.seconds;
  const rawPlain = await baselines.copyRaw('SELECT * FROM people', ctx.env.DATABASE_URL);

  const slowRss = sampleRss(platform.api.pid, 20);
  const slow = await download(url, ctx.key, { pauseAtBytes: 20 * MB, pauseMs: 5_000 });
  const slowMemory = slowRss.stop();

  const growth = fastMemory.peak - fastMemory.start;
  ctx.details.export = {
    rows: fast.rows,
    bytes: fast.bytes,
    seconds: fast.seconds,
    firstByteMs: fast.firstByteMs,
    rowsPerS: rate,
    rCopySameQuery: rawSame,
    rCopySelectStar: rawPlain,
    apiRssMb: { start: fastMemory.start, peak: fastMemory.peak },
    slowClient: { rows: slow.rows, rssMbStart: slowMemory.start, rssMbPeak: slowMemory.peak },
  };
  ctx.report({
    scenario: 'export',
    figure: `people.csv rows/s (${people.toLocaleString('en')})`,
    value: rate,
    unit: 'rows/s',
    baseline: { name: 'R_copy (copy-raw.sh, same query)', value: rawSame.rowsPerS },
    target: '≥ 0.8 × R_copy',
    met: rate >= 0.8 * rawSame.rowsPerS,
    note: `${(fast.bytes / 1e6).toFixed(0)} MB in ${fast.seconds.toFixed(1)} s, first byte ${fast.firstByteMs.toFixed(0)} ms`,
  });
  ctx.report({
    scenario: 'export',
    figure: 'people.csv vs COPY of SELECT *',
    value: rate,
    unit: 'rows/s',
    baseline: { name: 'R_copy (copy-raw.sh, SELECT *)', value: rawPlain.rowsPerS },
    target: null,
    note: 'the gap is neutralising cells and formatting timestamps in SQL',
  });
  ctx.report({
    scenario: 'export',
    figure: 'API RSS growth during the export',
    value: growth,
    unit: 'MB',
    target: `< ${GROWTH_TARGET_MB} MB`,
    met: growth < GROWTH_TARGET_MB,
    note: `${Math.round(fastMemory.start)} → ${Math.round(fastMemory.peak)} MB; a client pausing 5 s: +${Math.round(slowMemory.peak - slowMemory.start)} MB (${slow.rows} rows)`,
  });
}

module.exports = { exportScenario };
