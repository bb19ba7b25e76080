// The confirmation burst (issue 16): a petition takes `--burst` signatures (30,000) while no
// worker runs, so their confirmations wait in the queue together; then the workers start and
// mail them, against R_smtp with the same number of connections (the confirmations' SMTP
// pool: 5 per worker). Meanwhile people join the movement at 2 a second, and each join
// confirmation is timed from request to arrival: a burst of petition mail must not delay it.
import type { BenchContext } from './bench-context';
import { lost, percentile, postDistinct, signatureBody, storedSignatures } from './bench-load';
import { waitForConfirmations } from './bench-sign';

/** The confirmations' SMTP pool per worker (MailerService's transactional pool). */
const CONFIRMATION_CONNECTIONS = 5;
const RATIO_TARGET = 0.8;
const JOIN_LATENCY_TARGET_MS = 5_000;
const JOINS_PER_SECOND = 2;

export async function burstScenario(ctx: BenchContext): Promise<void> {
  const { options, baselines, db, petitions, slugs } = ctx;
  const connections = CONFIRMATION_CONNECTIONS * options.workers;
  const rSmtp = await baselines.smtpRaw(10_000, connections);

  await ctx.stopWorkers();
  const signed = await postDistinct(`${ctx.base}/api/v1/petitions/${slugs.burst}/signatures`, signatureBody('burst-'), {
    amount: options.burst,
    connections: options.connections,
  });
  const stored = await storedSignatures(db, petitions.burst, 'burst-');
  const lostCount = lost(signed.accepted, stored);

  // The workers start with the whole burst queued; joins begin as they do.
  ctx.startWorkers();
  const requested = new Map<string, number>();
  let n = 0;
  const joiner = setInterval(() => {
    const email = `burstjoin-${n++}@bench.test`;
    requested.set(email, Date.now());
    fetch(`${ctx.base}/api/v1/signups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, givenName: 'Amal', consent: true, language: 'ar' }),
    }).catch(() => requested.delete(email));
  }, 1000 / JOINS_PER_SECOND);
  let drained;
  try {
    drained = await waitForConfirmations(ctx, 'burst-');
  } finally {
    clearInterval(joiner);
  }
  const mailed = await ctx.sink.stats('burst-');
  // The rate between the first and the last confirmation of the burst: the workers' start-up is not in it.
  const rate = mailed.matching > 1 ? (mailed.matching - 1) / ((mailed.last - mailed.first) / 1000) : NaN;

  // Joins still on their way: a few seconds for the last ones.
  const deadline = Date.now() + 15_000;
  let arrivals = await ctx.sink.arrivals('burstjoin-');
  while (arrivals.size < requested.size && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    arrivals = await ctx.sink.arrivals('burstjoin-');
  }
  const latencies = [...requested].map(([email, at]) => (arrivals.get(email) ?? Infinity) - at);
  const max = Math.max(...latencies);
  ctx.details.burst = {
    rSmtp,
    connections,
    signed,
    stored,
    lost: lostCount,
    mailed,
    drainSeconds: drained.seconds,
    ratePerSecond: rate,
    joins: {
      requested: requested.size,
      arrived: latencies.filter(Number.isFinite).length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: max,
    },
  };
  ctx.report({
    scenario: 'burst',
    figure: `confirmations of ${options.burst.toLocaleString('en')} signatures, mailed/s`,
    value: rate,
    unit: '/s',
    baseline: { name: `R_smtp (smtp-raw.mjs, ${connections} conn.)`, value: rSmtp },
    target: `≥ ${RATIO_TARGET} × R_smtp`,
    met: mailed.matching === stored.stored && rate >= RATIO_TARGET * rSmtp,
    note: `${mailed.matching} of ${stored.stored} stored mailed (${signed.accepted} accepted at ${Math.round(signed.rps)}/s, lost ${lostCount}), ${mailed.duplicates} addresses mailed twice`,
  });
  ctx.report({
    scenario: 'burst',
    figure: 'join confirmation during the burst, slowest',
    value: max,
    unit: 'ms',
    target: `≤ ${JOIN_LATENCY_TARGET_MS} ms`,
    met: requested.size > 0 && max <= JOIN_LATENCY_TARGET_MS,
    note: `${requested.size} joins at ${JOINS_PER_SECOND}/s, p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms`,
  });
}
