// The bench's SMTP sink, in a process of its own (as smtp-raw.mjs runs its sink), so that
// accepting messages does not share an event loop with the load generator measuring latency.
// Run by startSinkProcess(); answers over IPC:
//   parent → { cmd: 'stats', prefix? }  → { stats: { total, distinct, duplicates, first, last, matching } }
// `distinct`/`duplicates` count recipients; `matching` counts distinct ones starting with `prefix`.
const { fork } = require('node:child_process');
const { startSmtpSink } = require('./measure-platform');

if (require.main === module) {
  const seen = new Map();
  let total = 0;
  let first = 0;
  let last = 0;
  startSmtpSink((addresses) => {
    const at = Date.now();
    first ||= at;
    last = at;
    for (const raw of addresses) {
      const a = raw.toLowerCase();
      total++;
      seen.set(a, (seen.get(a) ?? 0) + 1);
    }
  }).then(({ port }) => process.send({ port }));
  process.on('message', (m) => {
    if (m.cmd !== 'stats') return;
    let duplicates = 0;
    let matching = 0;
    for (const [a, n] of seen) {
      if (n > 1) duplicates++;
      if (m.prefix && a.startsWith(m.prefix)) matching++;
    }
    process.send({ stats: { total, distinct: seen.size, duplicates, first, last, matching } });
  });
  process.on('disconnect', () => process.exit(0));
}

/** Starts the sink process; `stats(prefix)` asks for its counters. */
async function startSinkProcess() {
  const child = fork(__filename, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting = [];
  const port = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (m) => {
      if (m.port) resolve(m.port);
      else if (m.stats) waiting.shift()?.(m.stats);
    });
  });
  return {
    child,
    port,
    stats: (prefix) =>
      new Promise((resolve) => {
        waiting.push(resolve);
        child.send({ cmd: 'stats', prefix });
      }),
  };
}

module.exports = { startSinkProcess };
