// The bench's read and sign scenarios: the public petition GET (JSON and page) against
// http-raw.mjs and a bare Nest app; POST signatures against pg-sign.sh (R_pg_sign_tps), at
// full speed and at 80 % of it; and (--only late) the same load into a petition of a million.
import { spawn } from 'node:child_process';
import type { BenchContext } from './bench-context';
import { bareNestEntry } from './bench-baselines';
import { getLoad, GetResult, lost, postDistinct, signatureBody, storedSignatures } from './bench-load';
import { freePort, treeCpuSeconds, waitUntilUp } from './measure-platform';

const PG_CLIENTS = 32;
const P99_SIGN_TARGET_MS = 100;
const P99_READ_TARGET_MS = 20;
const READ_RATIO_TARGET = 0.8;
const SIGN_CPU_TARGET_MS = 0.3;

/** The public reads alone: http-raw.mjs, the bare Nest hello route, the petition JSON and page, same autocannon settings. */
export async function readScenario(ctx: BenchContext): Promise<void> {
  const { options, baselines, cleanup } = ctx;
  const load = { seconds: options.shortSeconds, connections: options.readConnections };
  const raw = baselines.httpRaw(await freePort());
  await waitUntilUp(raw.url, 100);
  const rHttp = await getLoad(raw.url, load);
  raw.stop();

  let bare: GetResult | null = null;
  const entry = bareNestEntry();
  if (entry) {
    const port = await freePort();
    const child = cleanup.track(
      spawn(process.execPath, [entry, String(port)], { stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } }),
    );
    await waitUntilUp(`http://127.0.0.1:${port}/hello`, 100);
    bare = await getLoad(`http://127.0.0.1:${port}/hello`, load);
    child.kill('SIGTERM');
  }

  const routes = { json: `/api/v1/petitions/${ctx.slugs.sign}`, page: `/p/${ctx.slugs.sign}` };
  const results: Record<string, GetResult> = {};
  for (const [name, path] of Object.entries(routes)) {
    const result = (results[name] = await getLoad(`${ctx.base}${path}`, load));
    ctx.report({
      scenario: 'read',
      figure: `GET ${path.replace(ctx.slugs.sign, '{slug}')}, req/s`,
      value: result.rps,
      unit: 'req/s',
      baseline: bare ? { name: 'bare Nest hello', value: bare.rps } : null,
      target: `≥ ${READ_RATIO_TARGET} × bare Nest`,
      met: bare ? result.rps >= READ_RATIO_TARGET * bare.rps && result.non2xx === 0 : null,
      note: bare
        ? `${(result.rps / rHttp.rps).toFixed(2)} × bare Fastify; non-2xx ${result.non2xx}`
        : 'bench/bare-nest/main.js missing: no bare Nest baseline',
    });
    ctx.report({
      scenario: 'read',
      figure: `GET ${path.replace(ctx.slugs.sign, '{slug}')}, p99 at ${options.readConnections} connections`,
      value: result.p99,
      unit: 'ms',
      target: `≤ ${P99_READ_TARGET_MS} ms`,
      met: result.p99 <= P99_READ_TARGET_MS,
      note: `p50 ${result.p50} ms`,
    });
  }
  ctx.details.read = { rHttp, bareNest: bare, ...results, routes, ...load };
  ctx.report({
    scenario: 'read',
    figure: 'bare Nest vs bare Fastify',
    value: bare?.rps ?? NaN,
    unit: 'req/s',
    baseline: { name: 'R_http (http-raw.mjs)', value: rHttp.rps },
    note: `${options.readConnections} connections, ${options.shortSeconds} s each`,
  });
}

/** Sign: full speed against R_pg_sign_tps, 0 lost, p99 at 80 % of R_pg, the JSON GET during the load. */
export async function signScenario(ctx: BenchContext): Promise<void> {
  const { options, baselines, db, petitions, slugs } = ctx;
  const short = { seconds: options.shortSeconds, connections: options.connections };
  const signUrl = (slug: string): string => `${ctx.base}/api/v1/petitions/${slug}/signatures`;
  const details: Record<string, unknown> = (ctx.details.sign = {});

  const rPg = await baselines.pgSign(options.seconds, PG_CLIENTS, ctx.env.DATABASE_URL!);
  details.rPgSignTps = rPg;

  const apiPid = ctx.platform.api.pid!;
  const cpuBefore = treeCpuSeconds(apiPid);
  const full = await postDistinct(signUrl(slugs.sign), signatureBody('sign-full-'), {
    seconds: options.seconds,
    connections: options.connections,
  });
  // Every API process's CPU over the run, per request answered (the batch's share included).
  const cpuPerRequestMs = ((treeCpuSeconds(apiPid) - cpuBefore) * 1000) / Math.max(1, full.accepted);
  const fullStored = await storedSignatures(db, petitions.sign, 'sign-full-');
  const fullLost = lost(full.accepted, fullStored);
  details.full = { ...full, ...fullStored, lost: fullLost };
  ctx.report({
    scenario: 'sign',
    figure: 'accepted signatures/s (full speed)',
    value: full.rps,
    unit: '/s',
    baseline: { name: 'R_pg_sign_tps (pg-sign.sh)', value: rPg },
    target: '≥ 1.0 × R_pg_sign_tps',
    met: full.rps >= rPg,
    note: `p50 ${full.p50} ms, p99 ${full.p99} ms, non-2xx ${full.non2xx}, errors ${full.errors}`,
  });
  details.cpuPerRequestMs = cpuPerRequestMs;
  ctx.report({
    scenario: 'sign',
    figure: 'API CPU per accepted request (full speed)',
    value: Number(cpuPerRequestMs.toFixed(3)),
    unit: 'ms',
    target: `well under ${SIGN_CPU_TARGET_MS} ms`,
    met: Number.isFinite(cpuPerRequestMs) ? cpuPerRequestMs < SIGN_CPU_TARGET_MS : null,
    note: `user + system of every API process (/proc), over ${full.accepted} accepted`,
  });
  ctx.report({
    scenario: 'sign',
    figure: 'lost (accepted − stored with intent)',
    value: fullLost,
    unit: '',
    target: '= 0',
    met: fullLost === 0 && full.non2xx === 0,
    note: `${full.accepted} accepted, ${fullStored.stored} stored, ${fullStored.intents} with outbox intent`,
  });

  const rate = Math.max(1, Math.round(0.8 * rPg));
  const paced = await postDistinct(signUrl(slugs.sign), signatureBody('sign-paced-'), { ...short, rate });
  const pacedStored = await storedSignatures(db, petitions.sign, 'sign-paced-');
  details.paced = { askedRate: rate, ...paced, ...pacedStored, lost: lost(paced.accepted, pacedStored) };
  ctx.report({
    scenario: 'sign',
    figure: `p99 at 80 % of R_pg (${rate}/s asked)`,
    value: paced.p99,
    unit: 'ms',
    target: `≤ ${P99_SIGN_TARGET_MS} ms at ≥ 95 % of the asked rate`,
    met: paced.p99 <= P99_SIGN_TARGET_MS && paced.rps >= 0.95 * rate,
    note: `reached ${Math.round(paced.rps)}/s, p50 ${paced.p50} ms, lost ${lost(paced.accepted, pacedStored)}`,
  });

  if (options.scenarios.has('read')) {
    const getUrl = `${ctx.base}/api/v1/petitions/${slugs.sign}`;
    const [during, signing] = await Promise.all([
      getLoad(getUrl, short),
      postDistinct(signUrl(slugs.sign), signatureBody('sign-mixed-'), short),
    ]);
    details.readDuringSign = { get: during, sign: signing };
    const alone = (ctx.details.read as { json?: GetResult } | undefined)?.json;
    ctx.report({
      scenario: 'read',
      figure: 'GET /api/v1/petitions/{slug} during sign load',
      value: during.rps,
      unit: 'req/s',
      baseline: alone ? { name: 'same GET alone', value: alone.rps } : null,
      note: `p99 ${during.p99} ms; signatures meanwhile ${Math.round(signing.rps)}/s`,
    });
  }
  await drainConfirmations(ctx, 'sign-');
}

/** Waits (at most 10 min) until the sink holds a confirmation for every signature whose address starts with `prefix`. */
export async function waitForConfirmations(
  ctx: BenchContext,
  prefix: string,
): Promise<{ expected: number; sent: number; seconds: number }> {
  const t0 = Date.now();
  // Counted again each time: requests the API had queued when a load ended commit later.
  const stored = async (): Promise<number> =>
    (
      await ctx.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM signatures s JOIN people p ON p.id = s.person_id WHERE p.email_normalized LIKE $1`,
        [`${prefix}%`],
      )
    ).rows[0].n;
  let expected = await stored();
  let sent = 0;
  while (Date.now() - t0 < 600_000) {
    sent = (await ctx.sink.stats(prefix)).matching;
    if (sent >= expected && (expected = await stored()) === sent) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { expected, sent, seconds: (Date.now() - t0) / 1000 };
}

/** Every stored signature got its confirmation email, and the backlog is gone before the next scenario. */
async function drainConfirmations(ctx: BenchContext, prefix: string): Promise<void> {
  const { expected, sent, seconds } = await waitForConfirmations(ctx, prefix);
  ctx.details.signConfirmations = { expected, sent, drainSeconds: seconds };
  ctx.report({
    scenario: 'sign',
    figure: 'confirmation emails for every signature',
    value: sent,
    unit: '',
    baseline: { name: 'signatures stored', value: expected },
    target: '= stored',
    met: sent === expected,
    note: `backlog drained ${seconds.toFixed(1)} s after the last sign run`,
  });
}

/** (--only late) The same load on an empty petition and on one holding --late-signatures, each after the backlog is sent. */
export async function lateScenario(ctx: BenchContext): Promise<void> {
  const { options, slugs } = ctx;
  const short = { seconds: options.shortSeconds, connections: options.connections };
  const signUrl = (slug: string): string => `${ctx.base}/api/v1/petitions/${slug}/signatures`;
  await waitForConfirmations(ctx, 'late-');
  const first = await postDistinct(signUrl(slugs.first), signatureBody('late-first-'), short);
  await waitForConfirmations(ctx, 'late-');
  const late = await postDistinct(signUrl(slugs.late), signatureBody('late-late-'), short);
  ctx.details.firstVsLate = { first, late, lateSignatures: options.lateSignatures };
  ctx.report({
    scenario: 'late',
    figure: `signatures/s into a petition of ${options.lateSignatures.toLocaleString('en')}`,
    value: late.rps,
    unit: '/s',
    baseline: { name: 'same into an empty petition', value: first.rps },
    target: '≥ 0.9 × empty (no cost growing with size)',
    met: late.rps >= 0.9 * first.rps,
    note: `p50 ${late.p50} vs ${first.p50} ms, p99 ${late.p99} vs ${first.p99} ms`,
  });
  await waitForConfirmations(ctx, 'late-');
}
