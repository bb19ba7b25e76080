// The bench's export scenario: every seeded person as CSV over HTTP against copy-raw.sh on
// SELECT * FROM people (the target's baseline) and on the export's own query, the API's
// memory all along, then a client that stops reading for 5 s (back-pressure: the API must
// not buffer what the client does not take).
import http from 'node:http';
import type { BenchContext } from './bench-context';
import { memoryOf } from './measure-newsletter';
import { loadBuilt } from './paths';

const MB = 2 ** 20;
const GROWTH_TARGET_MB = 100;
const RATIO_TARGET = 0.8;

type ExportModules = {
  copySql(query: unknown): string;
  PeopleRepository: new (dataSource: null) => { exportQuery(filters: object): unknown };
};

/** The SELECT the people export runs (every cell neutralised, timestamps formatted), from the build. */
function exportSelect(): string {
  const { copySql } = loadBuilt<Pick<ExportModules, 'copySql'>>('exports/csv-export.repository');
  const { PeopleRepository } = loadBuilt<Pick<ExportModules, 'PeopleRepository'>>('people/people.repository');
  return copySql(new PeopleRepository(null).exportQuery({})).replace(/^COPY \((.*)\) TO STDOUT WITH .*$/s, '$1');
}

/** Samples a process's RSS (MB) every `ms` until stop(); returns { start, peak } in MB. */
function sampleRss(pid: number, ms: number): { stop(): { start: number; peak: number } } {
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

interface Download {
  bytes: number;
  rows: number;
  seconds: number;
  firstByteMs: number;
}

function download(
  url: string,
  key: string,
  { pauseAtBytes, pauseMs }: { pauseAtBytes?: number; pauseMs?: number } = {},
): Promise<Download> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let bytes = 0;
    let lines = 0;
    let firstByteMs: number | undefined;
    let paused = false;
    http
      .get(url, { headers: { authorization: `Bearer ${key}` } }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`export answered ${res.statusCode}`));
        res.on('data', (chunk: Buffer) => {
          firstByteMs ??= Number(process.hrtime.bigint() - started) / 1e6;
          bytes += chunk.length;
          for (let j = chunk.indexOf(10); j !== -1; j = chunk.indexOf(10, j + 1)) lines++;
          if (pauseAtBytes && !paused && bytes > pauseAtBytes) {
            paused = true;
            res.pause();
            setTimeout(() => res.resume(), pauseMs);
          }
        });
        res.on('end', () =>
          resolve({ bytes, rows: lines - 1, seconds: Number(process.hrtime.bigint() - started) / 1e9, firstByteMs: firstByteMs ?? NaN }),
        );
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

export async function exportScenario(ctx: BenchContext): Promise<void> {
  const { baselines, platform } = ctx;
  const url = `${ctx.base}/api/v1/admin/exports/people.csv`;
  const databaseUrl = ctx.env.DATABASE_URL!;
  const pid = platform.api.pid!;

  // The seeded people and everyone the sign scenarios added.
  const people = (await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM people')).rows[0].n;
  const rawPlain = await baselines.copyRaw('SELECT * FROM people', databaseUrl);
  const rss = sampleRss(pid, 20);
  const fast = await download(url, ctx.key);
  const fastMemory = rss.stop();
  if (fast.rows !== people) throw new Error(`export gave ${fast.rows} rows of ${people}`);
  const rate = fast.rows / fast.seconds;
  const rawSame = await baselines.copyRaw(exportSelect(), databaseUrl);

  const slowRss = sampleRss(pid, 20);
  const slow = await download(url, ctx.key, { pauseAtBytes: 20 * MB, pauseMs: 5_000 });
  const slowMemory = slowRss.stop();

  const growth = fastMemory.peak - fastMemory.start;
  ctx.details.export = {
    rows: fast.rows,
    bytes: fast.bytes,
    seconds: fast.seconds,
    firstByteMs: fast.firstByteMs,
    rowsPerS: rate,
    rCopySelectStar: rawPlain,
    rCopySameQuery: rawSame,
    apiRssMb: { start: fastMemory.start, peak: fastMemory.peak },
    slowClient: { rows: slow.rows, rssMbStart: slowMemory.start, rssMbPeak: slowMemory.peak },
  };
  ctx.report({
    scenario: 'export',
    figure: `people.csv rows/s (${people.toLocaleString('en')} rows)`,
    value: rate,
    unit: 'rows/s',
    baseline: { name: 'R_copy (copy-raw.sh, SELECT * FROM people)', value: rawPlain.rowsPerS },
    target: `≥ ${RATIO_TARGET} × R_copy`,
    met: rate >= RATIO_TARGET * rawPlain.rowsPerS,
    note: `${(fast.bytes / 1e6).toFixed(0)} MB in ${fast.seconds.toFixed(1)} s, first byte ${fast.firstByteMs.toFixed(0)} ms`,
  });
  ctx.report({
    scenario: 'export',
    figure: 'people.csv vs COPY of its own query',
    value: rate,
    unit: 'rows/s',
    baseline: { name: 'R_copy (copy-raw.sh, the export query)', value: rawSame.rowsPerS },
    note: 'what the HTTP relay costs; the rest of the gap above is the query (neutralising cells, formatting timestamps)',
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
