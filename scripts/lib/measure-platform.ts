// Start-up shared by the bench and the measure scripts: an SMTP server in this process that
// accepts everything, the environment of a production-like platform, the built API and
// worker processes on a scratch database, and their shutdown.
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../test/support/processes';
import { ROOT } from './paths';

export { freePort };

const MEASURE_SECRET = 'measure-secret-0123456789abcdef0123456789';

export interface Sink {
  port: number;
  close(): void;
}

/**
 * Listens on 127.0.0.1; `onMessage(recipients, bytes)` is called as each message is
 * accepted. Counting only: test/support's SmtpSink parses every message, which at a
 * thousand messages a second would be the bottleneck being measured.
 */
export async function startSmtpSink(onMessage: (recipients: string[], bytes: number) => void): Promise<Sink> {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
      stream.on('end', () => {
        onMessage(
          session.envelope.rcptTo.map((r) => r.address),
          bytes,
        );
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  return { port: (smtp.server.address() as AddressInfo).port, close: () => smtp.close() };
}

/** Adds what every measured platform needs to a scratch database's env; `extra` wins. */
export function platformEnv(
  env: NodeJS.ProcessEnv,
  { port, smtpPort, ...extra }: { port: number; smtpPort?: number } & Record<string, string | number | undefined>,
): NodeJS.ProcessEnv {
  return Object.assign(env, {
    PORT: String(port),
    REDIS_URL: 'redis://127.0.0.1:6379/6',
    QUEUE_PREFIX: `measure-${Date.now()}`,
    ...(smtpPort ? { SMTP_URL: `smtp://127.0.0.1:${smtpPort}?tls=off` } : {}),
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    APP_SECRET: MEASURE_SECRET,
    // The bench measures the export itself; in production a second organizer's approval
    // (four eyes, docs/safety.md) would come first, a human step with nothing to measure.
    EXPORT_APPROVAL_MIN_ROWS: '0',
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, v === undefined ? undefined : String(v)])),
  });
}

export function migrate(env: NodeJS.ProcessEnv): void {
  execFileSync(process.execPath, [require.resolve('typeorm/cli.js'), 'migration:run', '-d', 'dist/database/data-source.js'], {
    cwd: ROOT,
    env,
    stdio: 'ignore',
  });
}

/** Creates an organizer with the CLI and returns its API key (the CLI's last line). */
export function createOrganizer(env: NodeJS.ProcessEnv, email: string, role: string): string {
  return execFileSync(process.execPath, ['dist/cli.js', 'organizer:create', '--email', email, '--role', role], { cwd: ROOT, env })
    .toString()
    .trim()
    .split('\n')
    .pop()!;
}

const start = (env: NodeJS.ProcessEnv, file: string, args: string[] = []): ChildProcess =>
  spawn(process.execPath, [...args, file], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] });

/** `count` built worker processes; `nodeArgs` (e.g. `--cpu-prof`) go to each worker's node. */
export function startWorkers(env: NodeJS.ProcessEnv, count: number, nodeArgs: string[] = []): ChildProcess[] {
  return Array.from({ length: count }, () => start(env, 'dist/worker.js', nodeArgs));
}

export interface RunningPlatform {
  api: ChildProcess;
  workers: ChildProcess[];
}

/** The built API and `workers` worker processes; `apiNodeArgs` (e.g. `--cpu-prof`) go to the API's node (and its cluster's). */
export function startPlatform(
  env: NodeJS.ProcessEnv,
  { workers = 1, workerNodeArgs = [] as string[], apiNodeArgs = [] as string[] } = {},
): RunningPlatform {
  return { api: start(env, 'dist/main.js', apiNodeArgs), workers: startWorkers(env, workers, workerNodeArgs) };
}

/**
 * Polls `url` until it answers 2xx; throws after `timeoutMs` (a loaded machine may take
 * half a minute to start the API, and a scenario against a process that is not up only
 * fails later with a less helpful error).
 */
export async function waitUntilUp(url: string, intervalMs = 200, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** Resolves when the process has exited (at once if it has). */
export function exited(p: ChildProcess): Promise<void> {
  return new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.once('exit', () => r())));
}

/** SIGTERM to each process, then waits until all have exited. */
export async function stopAll(processes: ChildProcess[]): Promise<void> {
  for (const p of processes) p.kill('SIGTERM');
  await Promise.all(processes.map(exited));
}

/**
 * CPU seconds (user + system) used so far by `pid` and its children (the API's cluster
 * processes), from Linux's /proc; NaN elsewhere. A child that exited is not counted.
 */
export function treeCpuSeconds(pid: number): number {
  const ticks = 100; // USER_HZ on Linux
  let total = 0;
  let found = false;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return NaN;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After the name: state(0) ppid(1) ... utime(11) stime(12).
      if (Number(entry) !== pid && Number(fields[1]) !== pid) continue;
      total += (Number(fields[11]) + Number(fields[12])) / ticks;
      found = true;
    } catch {
      // gone meanwhile
    }
  }
  return found ? total : NaN;
}
