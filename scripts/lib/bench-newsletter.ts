// The bench's newsletter scenario: the newsletter measures of scripts/lib/measure-newsletter.ts
// (the same ones scripts/measure-newsletter.ts prints), once with DKIM (the target) and once
// without, against one R_smtp taken just before with the same number of connections; and
// (--only planning) the time to plan a million-recipient mailing. Each measure runs its own
// scratch database and platform, while the bench's platform stays idle.
import type { BenchContext } from './bench-context';
import { measureNewsletter, measurePlanning, NewsletterResult, smtpBaseline } from './measure-newsletter';

const PLANNING_TARGET_S = 60;
const CONFIRMATION_P99_TARGET_MS = 5_000;
const CONFIRMATIONS_PER_S = 4;
const FLAT_MB = 16;
const RATIO_TARGET = 0.9;

export async function newsletterScenario(ctx: BenchContext): Promise<void> {
  const { options } = ctx;
  const log = (line: string): void => console.log(`  ${line}`);
  const connections = options.workers * options.mailingConcurrency;
  const rSmtp = smtpBaseline(10_000, connections);
  log(`R_smtp_msgs_per_s ${rSmtp} (smtp-raw.mjs, ${connections} connections)`);
  const run = (dkim: boolean): Promise<NewsletterResult> =>
    measureNewsletter({
      recipients: options.recipients,
      workers: options.workers,
      concurrency: options.mailingConcurrency,
      confirmationsPerSecond: dkim ? CONFIRMATIONS_PER_S : 0,
      dkim,
      rSmtp,
      log,
    });
  const signed = await run(true);
  const unsigned = await run(false);
  ctx.details.newsletter = { dkim: signed, noDkim: unsigned };

  for (const n of [signed, unsigned]) {
    ctx.report({
      scenario: 'newsletter',
      figure: `emails/s, ${options.recipients.toLocaleString('en')} recipients, DKIM ${n.dkim ? 'on' : 'off'}`,
      value: n.emailsPerSecond,
      unit: '/s',
      baseline: { name: `R_smtp (smtp-raw.mjs, ${connections} conn.)`, value: rSmtp },
      target: n.dkim ? `≥ ${RATIO_TARGET} × R_smtp` : null,
      met: n.received === options.recipients && n.duplicates === 0 && n.emailsPerSecond >= RATIO_TARGET * rSmtp,
      note: `${n.received} received in ${n.seconds} s, ${n.duplicates} duplicates, ${n.messageBytes} bytes each, worker CPU ${n.workerCpuMsPerMessage} ms a message, planned in ${n.planningSeconds?.toFixed(1)} s`,
    });
  }
  // Flat: the last quarter of the send holds no more than the first (after warm-up) did.
  const quarters = signed.workerRssByQuarterMb;
  ctx.report({
    scenario: 'newsletter',
    figure: 'worker RSS while sending (by quarter)',
    value: Math.max(...quarters) - Math.min(...signed.workerIdleRssMb),
    unit: 'MB',
    target: `flat (last quarter ≤ first + ${FLAT_MB} MB)`,
    met: quarters[3] <= quarters[0] + FLAT_MB,
    note: `idle ${signed.workerIdleRssMb.join('/')} MB, quarters ${quarters.join(' / ')} MB, peak (VmHWM) ${signed.workerPeakRssMb.join('/')} MB`,
  });
  const c = signed.confirmations!;
  ctx.report({
    scenario: 'newsletter',
    figure: 'confirmation email p99 during the send',
    value: c.p99Ms,
    unit: 'ms',
    target: `≤ ${CONFIRMATION_P99_TARGET_MS} ms`,
    met: c.requested > 0 && c.arrived === c.requested && c.p99Ms <= CONFIRMATION_P99_TARGET_MS,
    note: `${c.requested} sign-ups at ${CONFIRMATIONS_PER_S}/s, ${c.arrived} arrived, p50 ${c.p50Ms} ms, max ${c.maxMs} ms`,
  });
}

export async function planningScenario(ctx: BenchContext): Promise<void> {
  const { options } = ctx;
  const p = await measurePlanning({ recipients: options.planning, log: (line) => console.log(`  ${line}`) });
  ctx.details.planning = p;
  ctx.report({
    scenario: 'planning',
    figure: `planning ${options.planning.toLocaleString('en')} recipients`,
    value: p.planningSeconds,
    unit: 's',
    target: `≤ ${PLANNING_TARGET_S} s`,
    met: p.deliveryRows === options.planning && p.planningSeconds <= PLANNING_TARGET_S,
    note: `${p.deliveryRows} delivery rows in ${p.batches} batches of ${p.batchSize}`,
  });
}
