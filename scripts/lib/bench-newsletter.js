// The bench's newsletter scenario: the newsletter measures of scripts/lib/measure-newsletter.js
// (the same ones scripts/measure-newsletter.js and scripts/measure-planning.js print), turned
// into the bench's rows. Each runs its own scratch database and platform (seeded with its own
// audience), while the bench's platform stays idle.
const { measureNewsletter, measurePlanning } = require('./measure-newsletter');

const PLANNING_TARGET_S = 60;
const CONFIRMATION_P99_TARGET_MS = 5_000;
const CONFIRMATIONS_PER_S = 4;
const FLAT_MB = 16;

async function newsletterScenario(ctx) {
  const { options } = ctx;
  const log = (line) => console.log(`  ${line}`);
  const n = await measureNewsletter({
    recipients: options.recipients,
    workers: options.workers,
    concurrency: options.mailingConcurrency,
    confirmationsPerSecond: CONFIRMATIONS_PER_S,
    log,
  });
  ctx.details.newsletter = n;
  ctx.report({
    scenario: 'newsletter',
    figure: `emails/s, ${options.recipients.toLocaleString('en')} recipients`,
    value: n.emailsPerSecond,
    unit: '/s',
    baseline: { name: `R_smtp (smtp-raw.mjs, ${n.connections} conn.)`, value: n.rSmtp },
    target: '≥ 0.9 × R_smtp',
    met: n.received === options.recipients && n.duplicates === 0 && n.emailsPerSecond >= 0.9 * n.rSmtp,
    note: `${n.received} received in ${n.seconds} s, ${n.duplicates} duplicates, planned in ${n.planningSeconds?.toFixed(1)} s`,
  });
  // Flat: the last quarter of the send holds no more than the first (after warm-up) did.
  const quarters = n.workerRssByQuarterMb;
  ctx.report({
    scenario: 'newsletter',
    figure: 'worker RSS while sending (by quarter)',
    value: Math.max(...quarters) - Math.min(...n.workerIdleRssMb),
    unit: 'MB',
    target: `flat (last quarter ≤ first + ${FLAT_MB} MB)`,
    met: quarters[3] <= quarters[0] + FLAT_MB,
    note: `idle ${n.workerIdleRssMb.join('/')} MB, quarters ${quarters.join(' / ')} MB, peak (VmHWM) ${n.workerPeakRssMb.join('/')} MB`,
  });
  const c = n.confirmations;
  ctx.report({
    scenario: 'newsletter',
    figure: 'confirmation email p99 during the send',
    value: c.p99Ms,
    unit: 'ms',
    target: `≤ ${CONFIRMATION_P99_TARGET_MS} ms`,
    met: c.requested > 0 && c.arrived === c.requested && c.p99Ms <= CONFIRMATION_P99_TARGET_MS,
    note: `${c.requested} sign-ups at ${CONFIRMATIONS_PER_S}/s, ${c.arrived} arrived, p50 ${c.p50Ms} ms, max ${c.maxMs} ms`,
  });

  const p = await measurePlanning({ recipients: options.planning, log });
  ctx.details.planning = p;
  ctx.report({
    scenario: 'newsletter',
    figure: `planning ${options.planning.toLocaleString('en')} recipients`,
    value: p.planningSeconds,
    unit: 's',
    target: `≤ ${PLANNING_TARGET_S} s`,
    met: p.deliveryRows === options.planning && p.planningSeconds <= PLANNING_TARGET_S,
    note: `${p.deliveryRows} delivery rows in ${p.batches} batches of ${p.batchSize}`,
  });
}

module.exports = { newsletterScenario };
