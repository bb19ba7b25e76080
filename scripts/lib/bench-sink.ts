// The bench's SMTP sink, in a process of its own (as smtp-raw.mjs runs its sink), so that
// accepting messages does not share an event loop with the load generator measuring latency.
// Run by startSinkProcess(); answers over IPC:
//   parent → { cmd: 'stats', prefix? }  → { stats: SinkStats }
//   parent → { cmd: 'arrivals', prefix } → { arrivals: [[address, epoch ms], ...] } (first arrival of each)
// `distinct`/`duplicates` count recipients; `matching` counts distinct ones starting with `prefix`.
import { ChildProcess, fork } from 'node:child_process';
import { startSmtpSink } from './measure-platform';

export interface SinkStats {
  total: number;
  distinct: number;
  duplicates: number;
  /** Epoch ms of the first and last message of those matching (all when no prefix). */
  first: number;
  last: number;
  matching: number;
}

type Request = { cmd: 'stats' | 'arrivals'; prefix?: string };
type Reply = { port?: number; stats?: SinkStats; arrivals?: Array<[string, number]> };

if (require.main === module) {
  const seen = new Map<string, { count: number; first: number; last: number }>();
  let total = 0;
  void startSmtpSink((addresses) => {
    const at = Date.now();
    for (const raw of addresses) {
      const a = raw.toLowerCase();
      total++;
      const entry = seen.get(a);
      if (entry) {
        entry.count++;
        entry.last = at;
      } else seen.set(a, { count: 1, first: at, last: at });
    }
  }).then(({ port }) => process.send!({ port } satisfies Reply));
  process.on('message', (m: Request) => {
    if (m.cmd === 'arrivals') {
      const arrivals: Array<[string, number]> = [];
      for (const [a, e] of seen) if (a.startsWith(m.prefix ?? '')) arrivals.push([a, e.first]);
      process.send!({ arrivals } satisfies Reply);
      return;
    }
    let duplicates = 0;
    let matching = 0;
    let first = Infinity;
    let last = 0;
    for (const [a, e] of seen) {
      if (e.count > 1) duplicates++;
      if (m.prefix !== undefined && !a.startsWith(m.prefix)) continue;
      matching++;
      first = Math.min(first, e.first);
      last = Math.max(last, e.last);
    }
    process.send!({
      stats: { total, distinct: seen.size, duplicates, first: Number.isFinite(first) ? first : 0, last, matching },
    } satisfies Reply);
  });
  process.on('disconnect', () => process.exit(0));
}

export interface SinkProcess {
  child: ChildProcess;
  port: number;
  stats(prefix?: string): Promise<SinkStats>;
  arrivals(prefix: string): Promise<Map<string, number>>;
}

/** Starts the sink process; `stats(prefix)` asks for its counters, `arrivals(prefix)` for when each address first got mail. */
export async function startSinkProcess(): Promise<SinkProcess> {
  const child = fork(__filename, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting: Array<(reply: Reply) => void> = [];
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (m: Reply) => {
      if (m.port) resolve(m.port);
      else waiting.shift()?.(m);
    });
  });
  const ask = (request: Request): Promise<Reply> =>
    new Promise((resolve) => {
      waiting.push(resolve);
      child.send(request);
    });
  return {
    child,
    port,
    stats: async (prefix) => (await ask({ cmd: 'stats', prefix })).stats!,
    arrivals: async (prefix) => new Map((await ask({ cmd: 'arrivals', prefix })).arrivals),
  };
}
