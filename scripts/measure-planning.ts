// Measures planning a newsletter: the time from "send" to every delivery row (and every
// batch's intent) stored, by the built worker, for RECIPIENTS subscribers seeded set-based
// in a scratch database. Target: 1,000,000 recipients in 60 s or less.
//
//   node scripts/build.js --tools && node dist/tools/scripts/measure-planning.js [RECIPIENTS=1000000] [MAILING_BATCH_SIZE=1000]
//
// Redis MEASURE_REDIS_URL (default db 6). The measure lives in scripts/lib/measure-newsletter.ts.
import { measurePlanning } from './lib/measure-newsletter';

const [recipients = 1_000_000, batchSize = 1_000] = process.argv.slice(2).map(Number);

measurePlanning({ recipients, batchSize, log: console.log })
  .then((r) => {
    console.log(
      `planning_seconds ${r.planningSeconds.toFixed(2)} for ${r.recipients} recipients (${r.deliveryRows} delivery rows, ${r.batches} batches of ${r.batchSize})`,
    );
    console.log(`planning_rows_per_s ${Math.round(r.deliveryRows / r.planningSeconds)}`);
    if (r.deliveryRows !== r.recipients) process.exitCode = 1;
  })
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
