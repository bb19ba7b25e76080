// Measures newsletter sending as production runs it: the built API and worker processes,
// real PostgreSQL and Redis, an SMTP server that accepts and discards everything, no rate
// cap. In the same run it measures the machine's own ceiling, R_smtp (smtp-raw.mjs:
// nodemailer's pool sending pre-built 8 KB messages, no application) with the same number of
// SMTP connections (WORKERS × MAILING_CONCURRENCY), so the figure reads as a ratio.
//
//   node scripts/build.js --tools && node dist/tools/scripts/measure-newsletter.js \
//     [RECIPIENTS=20000] [WORKERS=1] [MAILING_CONCURRENCY=4] [CONFIRMATIONS_PER_S=0] [--dkim] [--cpu-prof DIR] [--body-repeat 130]
//
// Prints R_smtp, emails/s and the ratio, the planning time, the workers' peak RSS and their
// RSS through the send, the p50/p99 latency of confirmation emails requested during the
// send (with CONFIRMATIONS_PER_S > 0), and checks that every recipient received exactly one.
// Scratch database; Redis MEASURE_REDIS_URL (default db 6). The measures live in
// scripts/lib/measure-newsletter.ts.
import { measureNewsletter } from './lib/measure-newsletter';

const args = process.argv.slice(2);
const take = (flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at >= 0 ? args.splice(at, 2)[1] : undefined;
};
const cpuProfDir = take('--cpu-prof');
// --body-repeat N: the HTML's length (130: the message is as big as smtp-raw.mjs's; 300: twice that).
const repeat = take('--body-repeat');
const dkimAt = args.indexOf('--dkim');
const dkim = dkimAt >= 0 && args.splice(dkimAt, 1).length > 0;
const [recipients = 20_000, workers = 1, concurrency = 4, confirmationsPerSecond = 0] = args.map(Number);

measureNewsletter({
  recipients,
  workers,
  concurrency,
  confirmationsPerSecond,
  dkim,
  cpuProfDir,
  bodyRepeat: repeat === undefined ? undefined : Number(repeat),
  log: console.log,
})
  .then((r) => {
    console.log(
      `recipients ${r.recipients}, workers ${r.workers}, MAILING_CONCURRENCY ${r.concurrency} (${r.connections} SMTP connections), DKIM ${r.dkim ? 'on' : 'off'}`,
    );
    console.log(`planning: ${r.planningSeconds?.toFixed(2)} s for ${r.recipients} delivery rows`);
    console.log(
      `newsletter_emails_per_s ${r.emailsPerSecond} (send → last accepted: ${r.seconds} s; first after ${r.firstAfterSeconds} s)`,
    );
    console.log(`message size ${r.messageBytes} bytes (smtp-raw.mjs: about 9,350)`);
    console.log(`ratio to R_smtp (${r.rSmtp}, ${r.connections} connections): ${r.ratio}`);
    console.log(`worker CPU per message ${r.workerCpuMsPerMessage} ms (every thread)`);
    console.log(
      `worker RSS MB: idle ${r.workerIdleRssMb.join('/')}, peak ${r.workerPeakRssMb.join('/')}, max by quarter of the send ${r.workerRssByQuarterMb.join(' → ')}`,
    );
    if (r.confirmations) {
      const c = r.confirmations;
      console.log(
        `confirmations during the send: ${c.arrived}/${c.requested} arrived, p50 ${c.p50Ms} ms, p99 ${c.p99Ms} ms, max ${c.maxMs} ms`,
      );
    }
    console.log(`received ${r.received}/${r.recipients}, duplicates ${r.duplicates}, status ${r.status}, recorded sent ${r.sentRecorded}`);
    if (r.received !== r.recipients || r.duplicates !== 0) process.exitCode = 1;
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
