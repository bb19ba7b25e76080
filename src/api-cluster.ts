import cluster, { Worker } from 'node:cluster';

/** A process that dies sooner than this after its start counts as a failed start. */
const FAILED_START_MS = 10_000;
/** Failed starts in a row after which the API gives up (a bad deployment, not a crash). */
const MAX_FAILED_STARTS = 5;

/**
 * The API on every core (API_PROCESSES): this primary forks `count` copies of the HTTP
 * process, which share the one port (node:cluster hands each connection to one of them,
 * round robin), and does nothing else. Everything a process keeps to itself is a cache
 * (PetitionReadCache: an organizer's change reaches the other processes within about two
 * seconds, as across replicas) or a batch of its own requests; rate limits and the proof
 * of work's spent challenges are in Redis, shared.
 *
 * A process that exits unasked is replaced; SIGTERM or SIGINT is passed to every process
 * (each finishes its requests: Nest's shutdown hooks) and the primary exits when they all
 * have, with 0, or with 1 when they kept failing at start.
 */
export function runApiCluster(count: number, log: (line: string) => void): void {
  let stopping = false;
  let failedStarts = 0;
  const startedAt = new Map<Worker, number>();

  const fork = (): void => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
  };

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    failedStarts = lived < FAILED_START_MS ? failedStarts + 1 : 0;
    log(`api: process ${worker.process.pid} exited (${signal ?? `code ${code}`})`);
    if (failedStarts >= MAX_FAILED_STARTS) {
      log(`api: ${failedStarts} processes in a row failed at start; stopping`);
      stopping = true;
      for (const other of startedAt.keys()) other.process.kill('SIGTERM');
      if (startedAt.size === 0) process.exit(1);
      // The others' exits end the primary; it must not report success.
      process.exitCode = 1;
      return;
    }
    fork();
  });

  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log(`api: ${signal}: stopping ${startedAt.size} processes`);
    for (const worker of startedAt.keys()) worker.process.kill('SIGTERM');
    if (startedAt.size === 0) process.exit(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  log(`api: ${count} processes (API_PROCESSES)`);
  for (let i = 0; i < count; i++) fork();
}
