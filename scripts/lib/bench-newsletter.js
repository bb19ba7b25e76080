// The bench's newsletter scenario: a --recipients mailing to the sink process against
// smtp-raw.mjs with the same connection count, the worker's memory while it sends, the
// confirmation emails' latency meanwhile, and the time to plan a --planning mailing.
const { NEWSLETTER_LIST, PLANNING_LIST } = require('./bench-seed');
const { memoryOf, sampleRss } = require('./bench-setup');
const { percentile } = require('./bench-load');

const PLANNING_TARGET_S = 60;
const CONFIRMATION_P99_TARGET_MS = 5_000;
const PROBE_EVERY_MS = 250;
const MB = 2 ** 20;

const BODY = '<p>Hello {{givenName}},</p><p>' + 'Lorem ipsum dolor sit amet. '.repeat(300) + '</p>';

async function createMailing(ctx, name, list) {
  const res = await fetch(`${ctx.base}/api/v1/admin/mailings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ctx.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name,
      audience: { lists: [list] },
      content: {
        en: { subject: 'News for {{givenName}}', html: BODY },
        ar: { subject: 'أخبار', html: BODY },
        fa: { subject: 'خبر', html: BODY },
      },
      defaultLanguage: 'en',
    }),
  });
  const created = await res.json();
  if (!created.id) throw new Error(`creating a mailing answered ${res.status} ${JSON.stringify(created)}`);
  return created.id;
}

async function adminPost(ctx, path) {
  const res = await fetch(`${ctx.base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${ctx.key}` } });
  if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
}

/**
 * Sends a sign-up or a signature (alternately) every PROBE_EVERY_MS while `running()` and
 * times each from request to arrival at the sink. Returns the latencies (ms) and how many
 * never arrived within `graceMs` after the last.
 */
async function probeConfirmations(ctx, running, graceMs = 30_000) {
  const started = new Map();
  const latencies = [];
  ctx.onWatched = (address, at) => {
    const t0 = started.get(address);
    if (t0 === undefined) return;
    latencies.push(at - t0);
    started.delete(address);
  };
  let i = 0;
  let failed = 0;
  while (running()) {
    const email = `probe-${i}@bench.test`;
    const signup = i % 2 === 0;
    i++;
    started.set(email, Date.now());
    const res = await fetch(signup ? `${ctx.base}/api/v1/signups` : `${ctx.base}/api/v1/petitions/${ctx.slugs.first}/signatures`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signup ? { email, givenName: 'Probe', consent: true } : { email, givenName: 'Probe', country: 'FR' }),
    }).catch(() => null);
    if (!res?.ok) {
      failed++;
      started.delete(email);
    }
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
  const deadline = Date.now() + graceMs;
  while (started.size && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return { latencies, missing: started.size, failed, sent: i };
}

async function newsletterScenario(ctx) {
  const { options, baselines, db, platform, sink } = ctx;
  const connections = options.mailingConcurrency * options.workers;
  const details = (ctx.details.newsletter = { connections });

  const rSmtp = await baselines.smtpRaw(Math.min(options.smtpRawMessages, options.recipients), connections);
  details.rSmtp = rSmtp;

  const mailingId = await createMailing(ctx, 'Bench newsletter', NEWSLETTER_LIST);
  const before = await sink.stats('person-');
  const samplers = platform.workers.map((w) => sampleRss(w.pid, 100));
  const t0 = Date.now();
  await adminPost(ctx, `/api/v1/admin/mailings/${mailingId}/send`);
  let done = false;
  const probes = probeConfirmations(ctx, () => !done);
  const deadline = t0 + Math.max(300, options.recipients / 20) * 1000;
  let received = 0;
  let finishedAt = 0;
  while (Date.now() < deadline) {
    received = (await sink.stats('person-')).matching - before.matching;
    if (received >= options.recipients) {
      finishedAt = Date.now();
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  done = true;
  const memory = samplers.map((s) => s.stop());
  const hwm = platform.workers.map((w) => memoryOf(w.pid).hwm);
  const confirmations = await probes;
  const seconds = ((finishedAt || Date.now()) - t0) / 1000;
  const rate = received / seconds;
  const after = await sink.stats('person-');
  const { rows } = await db.query(
    `SELECT status, extract(epoch from planned_at - started_at)::float AS planned_s FROM mailings WHERE id = $1`,
    [mailingId],
  );

  // Flat: what the worker holds in the second half of the send is what it held in the first.
  const halves = memory.map(({ start, samples }) => {
    const mid = t0 + (seconds * 1000) / 2;
    const peakOf = (list) => list.reduce((m, s) => Math.max(m, s.rss), start);
    return { start, firstHalf: peakOf(samples.filter((s) => s.at < mid)), secondHalf: peakOf(samples.filter((s) => s.at >= mid)) };
  });
  const growth = Math.max(...halves.map((h) => Math.max(h.firstHalf, h.secondHalf) - h.start));
  const creep = Math.max(...halves.map((h) => h.secondHalf - h.firstHalf));
  Object.assign(details, {
    mailingId,
    received,
    seconds,
    rate,
    duplicates: after.duplicates,
    status: rows[0]?.status,
    plannedSeconds: rows[0]?.planned_s,
    workerMemory: halves.map((h, i) => ({ ...h, hwm: hwm[i] })),
    confirmations: {
      count: confirmations.latencies.length,
      missing: confirmations.missing,
      failed: confirmations.failed,
      p50: percentile(confirmations.latencies, 50),
      p99: percentile(confirmations.latencies, 99),
    },
  });

  ctx.report({
    scenario: 'newsletter',
    figure: `emails/s, ${options.recipients.toLocaleString('en')} recipients`,
    value: rate,
    unit: '/s',
    baseline: { name: `R_smtp (smtp-raw.mjs, ${connections} conn.)`, value: rSmtp },
    target: '≥ 0.9 × R_smtp',
    met: received >= options.recipients && rate >= 0.9 * rSmtp,
    note: `${received} received in ${seconds.toFixed(1)} s, ${after.duplicates} duplicates, planned in ${details.plannedSeconds?.toFixed(1)} s`,
  });
  ctx.report({
    scenario: 'newsletter',
    figure: 'worker RSS growth while sending',
    value: growth / MB,
    unit: 'MB',
    target: 'flat (2nd half peak ≤ 1st half + 16 MB)',
    met: creep <= 16 * MB,
    note: halves
      .map(
        (h, i) =>
          `start ${Math.round(h.start / MB)}, halves ${Math.round(h.firstHalf / MB)}/${Math.round(h.secondHalf / MB)}, VmHWM ${Math.round(hwm[i] / MB)} MB`,
      )
      .join('; '),
  });
  const c = details.confirmations;
  ctx.report({
    scenario: 'newsletter',
    figure: 'confirmation email p99 during the send',
    value: c.p99,
    unit: 'ms',
    target: `≤ ${CONFIRMATION_P99_TARGET_MS} ms`,
    met: c.count > 0 && c.missing === 0 && c.failed === 0 && c.p99 <= CONFIRMATION_P99_TARGET_MS,
    note: `${c.count} sign-ups/signatures, p50 ${c.p50} ms, ${c.missing} missing, ${c.failed} refused`,
  });

  await planningRun(ctx);
}

/**
 * Planning a --planning mailing: from "send" to planned_at (every delivery row stored),
 * while its batches already go out as production would send them; cancelled once planned.
 */
async function planningRun(ctx) {
  const { options, db } = ctx;
  const mailingId = await createMailing(ctx, 'Bench planning', PLANNING_LIST);
  await adminPost(ctx, `/api/v1/admin/mailings/${mailingId}/send`);
  const t0 = Date.now();
  // Five times the target: past it the figure is an estimate from the pace so far.
  const deadline = t0 + 5 * PLANNING_TARGET_S * 1000;
  let planned = null;
  let rowsSoFar = 0;
  while (Date.now() < deadline) {
    const { rows } = await db.query(
      `SELECT planned_at IS NOT NULL AS done, extract(epoch from coalesce(planned_at, now()) - started_at)::float AS s,
              (SELECT count(*)::int FROM mailing_deliveries WHERE mailing_id = $1) AS rows
       FROM mailings WHERE id = $1`,
      [mailingId],
    );
    rowsSoFar = rows[0].rows;
    if (rows[0].done) {
      planned = rows[0];
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await adminPost(ctx, `/api/v1/admin/mailings/${mailingId}/cancel`).catch(() => undefined);
  const elapsed = (Date.now() - t0) / 1000;
  const seconds = planned ? planned.s : rowsSoFar > 0 ? (elapsed * options.planning) / rowsSoFar : NaN;
  ctx.details.planning = { mailingId, seconds, finished: planned !== null, deliveries: planned?.rows ?? rowsSoFar };
  ctx.report({
    scenario: 'newsletter',
    figure: `planning ${options.planning.toLocaleString('en')} recipients`,
    value: seconds,
    unit: 's',
    target: `≤ ${PLANNING_TARGET_S} s`,
    met: planned !== null && planned.rows === options.planning && planned.s <= PLANNING_TARGET_S,
    note: planned
      ? `${planned.rows} delivery rows; sending ran meanwhile, cancelled once planned`
      : `not planned within ${elapsed.toFixed(0)} s: ${rowsSoFar} rows by then, the figure extrapolates that pace`,
  });
}

module.exports = { newsletterScenario };
