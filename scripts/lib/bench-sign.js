// The bench's sign and read scenarios: POST signatures against pg-sign.sh (R_pg_sign_tps),
// GET the public petition against http-raw.mjs and a bare Nest app, alone and during the
// sign load.
const { spawn } = require('node:child_process');
const { waitUntilUp } = require('./measure-platform');
const { bareNestEntry } = require('./bench-baselines');
const { getLoad, postDistinct, signatureBody, storedSignatures, lost } = require('./bench-load');

const PG_CLIENTS = 32;
const P99_TARGET_MS = 100;

/** Read alone: the platform's public GET, the bare Nest hello route and http-raw.mjs, same autocannon settings. */
async function readScenario(ctx) {
  const { options, baselines, cleanup } = ctx;
  const load = { seconds: options.shortSeconds, connections: options.connections };
  const rawPort = ctx.freePort();
  const raw = await baselines.httpRaw(rawPort);
  await waitUntilUp(raw.url, 100);
  const rHttp = await getLoad(raw.url, load);
  raw.stop();

  let bare = null;
  const entry = bareNestEntry();
  if (entry) {
    const port = ctx.freePort();
    const child = cleanup.track(
      spawn(process.execPath, [entry, String(port)], { stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } }),
    );
    await waitUntilUp(`http://127.0.0.1:${port}/hello`, 100);
    bare = await getLoad(`http://127.0.0.1:${port}/hello`, load);
    child.kill('SIGTERM');
  }

  const url = `${ctx.base}/api/v1/petitions/${ctx.slugs.sign}`;
  const alone = await getLoad(url, load);
  ctx.details.read = { rHttp, bareNest: bare, alone, url, ...load };
  ctx.report({
    scenario: 'read',
    figure: 'public petition GET, req/s',
    value: alone.rps,
    unit: 'req/s',
    baseline: bare ? { name: 'bare Nest hello', value: bare.rps } : null,
    target: '≥ 0.8 × bare Nest',
    met: bare ? alone.rps >= 0.8 * bare.rps : null,
    note: bare ? `p99 ${alone.p99} ms` : 'bench/bare-nest/main.js missing: no bare Nest baseline',
  });
  ctx.report({
    scenario: 'read',
    figure: 'public petition GET vs bare Fastify',
    value: alone.rps,
    unit: 'req/s',
    baseline: { name: 'R_http (http-raw.mjs)', value: rHttp.rps },
    target: null,
    note: `${options.connections} connections, ${options.shortSeconds} s each`,
  });
}

/** Sign: full speed against R_pg_sign_tps, 0 lost, p99 at 80 % of R_pg, GET during the load, first vs late. */
async function signScenario(ctx) {
  const { options, baselines, db, petitions, slugs } = ctx;
  const short = { seconds: options.shortSeconds, connections: options.connections };
  const signUrl = (slug) => `${ctx.base}/api/v1/petitions/${slug}/signatures`;
  const details = (ctx.details.sign = {});

  const rPg = await baselines.pgSign(options.seconds, PG_CLIENTS, ctx.env.DATABASE_URL);
  details.rPgSignTps = rPg;

  const full = await postDistinct(signUrl(slugs.sign), signatureBody('sign-full-'), {
    seconds: options.seconds,
    connections: options.connections,
  });
  const fullStored = await storedSignatures(db, petitions.sign, 'sign-full-');
  details.full = { ...full, ...fullStored, lost: lost(full.accepted, fullStored) };
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
  ctx.report({
    scenario: 'sign',
    figure: 'lost (accepted − stored with intent)',
    value: details.full.lost,
    unit: '',
    target: '= 0',
    met: details.full.lost === 0 && full.non2xx === 0,
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
    target: `≤ ${P99_TARGET_MS} ms at ≥ 95 % of the asked rate`,
    met: paced.p99 <= P99_TARGET_MS && paced.rps >= 0.95 * rate,
    note: `reached ${Math.round(paced.rps)}/s, p50 ${paced.p50} ms, lost ${details.paced.lost}`,
  });

  if (options.scenarios.has('read')) {
    const getUrl = `${ctx.base}/api/v1/petitions/${slugs.sign}`;
    const [during, signing] = await Promise.all([
      getLoad(getUrl, short),
      postDistinct(signUrl(slugs.sign), signatureBody('sign-mixed-'), short),
    ]);
    details.readDuringSign = { get: during, sign: signing };
    const alone = ctx.details.read?.alone;
    ctx.report({
      scenario: 'read',
      figure: 'public petition GET during sign load',
      value: during.rps,
      unit: 'req/s',
      baseline: alone ? { name: 'same GET alone', value: alone.rps } : null,
      target: null,
      note: `p99 ${during.p99} ms; signatures meanwhile ${Math.round(signing.rps)}/s`,
    });
  }

  // First vs late: the same load on an empty petition and on one holding --late-signatures,
  // each after the worker has sent the confirmations queued before it (a backlog would
  // slow whichever run came second).
  await waitForConfirmations(ctx);
  const first = await postDistinct(signUrl(slugs.first), signatureBody('sign-first-'), short);
  await waitForConfirmations(ctx);
  const late = await postDistinct(signUrl(slugs.late), signatureBody('sign-late-'), short);
  details.firstVsLate = { first, late, lateSignatures: options.lateSignatures };
  ctx.report({
    scenario: 'sign',
    figure: `signatures/s into a petition of ${options.lateSignatures.toLocaleString('en')}`,
    value: late.rps,
    unit: '/s',
    baseline: { name: 'same into an empty petition', value: first.rps },
    target: '≥ 0.9 × empty (no cost growing with size)',
    met: late.rps >= 0.9 * first.rps,
    note: `p50 ${late.p50} vs ${first.p50} ms, p99 ${late.p99} vs ${first.p99} ms`,
  });
}

/** Waits (at most 5 min) until the sink holds a confirmation for every `sign-…` signature stored; returns { expected, sent, seconds }. */
async function waitForConfirmations(ctx) {
  const t0 = Date.now();
  // Counted again each time: requests the API had queued when a load ended commit later.
  const stored = async () =>
    (
      await ctx.db.query(
        `SELECT count(*)::int AS n FROM signatures s JOIN people p ON p.id = s.person_id WHERE p.email_normalized LIKE 'sign-%'`,
      )
    ).rows[0].n;
  let expected = await stored();
  let sent = 0;
  while (Date.now() - t0 < 300_000) {
    sent = (await ctx.sink.stats('sign-')).matching;
    if (sent >= expected && (expected = await stored()) === sent) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { expected, sent, seconds: (Date.now() - t0) / 1000 };
}

/**
 * After the sign scenario: every stored signature got its confirmation email, and the
 * backlog is gone before the export and newsletter run.
 */
async function drainConfirmations(ctx) {
  const { expected, sent, seconds } = await waitForConfirmations(ctx);
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

module.exports = { readScenario, signScenario, drainConfirmations };
