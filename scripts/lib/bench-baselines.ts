// Runs the machine's own ceilings (the baseline scripts of ../shared/bench, or their vendored
// copies) and parses the one figure each prints. Every script runs from the project root, as
// its README asks, and asynchronously so that Ctrl-C still reaches the bench's cleanup.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BaselineDir, Cleanup } from './bench-setup';
import { ROOT } from './paths';

function capture(cmd: string, args: string[], env: NodeJS.ProcessEnv, cleanup?: Cleanup): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanup?.track(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args[0] ?? cmd} exited ${code}: ${err.trim()}`))));
  });
}

const figure = (out: string, name: string): number => {
  const m = new RegExp(`${name} ([\\d.]+)`).exec(out);
  if (!m) throw new Error(`no ${name} in: ${out.trim()}`);
  return Number(m[1]);
};

export interface Baselines {
  pgSign(seconds: number, clients: number, databaseUrl: string): Promise<number>;
  copyRaw(query: string, databaseUrl: string): Promise<{ rowsPerS: number; mbPerS: number }>;
  smtpRaw(messages: number, connections: number): Promise<number>;
  httpRaw(port: number): { url: string; stop(): void };
}

export function createBaselines({ dir }: BaselineDir, cleanup?: Cleanup): Baselines {
  return {
    /** R_pg_sign_tps: pgbench, one signature per transaction (it makes and drops its own database). */
    async pgSign(seconds, clients, databaseUrl) {
      const out = await capture(
        'bash',
        [join(dir, 'pg-sign.sh'), String(seconds), String(clients)],
        { ...process.env, DATABASE_URL: databaseUrl },
        cleanup,
      );
      return figure(out, 'R_pg_sign_tps');
    },
    /** R_copy: COPY (query) TO STDOUT as CSV into /dev/null. */
    async copyRaw(query, databaseUrl) {
      const out = await capture('bash', [join(dir, 'copy-raw.sh'), query], { ...process.env, DATABASE_URL: databaseUrl }, cleanup);
      return { rowsPerS: figure(out, 'R_copy_rows_per_s'), mbPerS: figure(out, 'R_copy_mb_per_s') };
    },
    /** R_smtp: nodemailer's pool sending pre-built messages to a discarding sink, with `connections` connections. */
    async smtpRaw(messages, connections) {
      const out = await capture(process.execPath, [join(dir, 'smtp-raw.mjs'), String(messages), String(connections)], process.env, cleanup);
      return figure(out, 'R_smtp_msgs_per_s');
    },
    /** R_http: the bare Fastify route, listening on `port` until cleanup or stop(). */
    httpRaw(port) {
      const child = spawn(process.execPath, [join(dir, 'http-raw.mjs'), String(port)], { cwd: ROOT, stdio: 'ignore' });
      cleanup?.track(child);
      return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill('SIGTERM') };
    },
  };
}

/** The bare Nest hello app (bench/bare-nest/main.js PORT, GET /hello), or null while it is not in the tree. */
export function bareNestEntry(): string | null {
  const entry = join(ROOT, 'bench', 'bare-nest', 'main.js');
  return existsSync(entry) ? entry : null;
}
