import { ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, missingBinary, waitUntil } from './processes';
import { connect } from 'node:net';

/** Debian installs pgbouncer under /usr/sbin, which is not on every user's PATH. */
export function pgbouncerBinary(): string | null {
  if (missingBinary('pgbouncer') === null) return 'pgbouncer';
  return existsSync('/usr/sbin/pgbouncer') ? '/usr/sbin/pgbouncer' : null;
}

/**
 * A PgBouncer of the test's own in transaction mode (one server connection per
 * transaction, a small pool so that clients really share server connections) in front of
 * the test's PostgreSQL, on a free port. PgBouncer refuses to run as root: started by root
 * (as CI is), it switches to the `postgres` user.
 */
export class TestPgBouncer {
  private child?: ChildProcess;
  private output = '';
  private readonly dir = mkdtempSync(join(tmpdir(), 'pgbouncer-'));

  private constructor(
    readonly port: number,
    private readonly upstream: URL,
  ) {}

  static async start(upstreamUrl: string, poolSize = 4): Promise<TestPgBouncer> {
    const bouncer = new TestPgBouncer(await freePort(), new URL(upstreamUrl));
    // Ends with this process even when a timed-out test never reaches its afterAll.
    process.once('exit', () => {
      if (bouncer.child?.exitCode === null) bouncer.child.kill('SIGKILL');
      rmSync(bouncer.dir, { recursive: true, force: true });
    });
    await bouncer.run(poolSize);
    return bouncer;
  }

  /** `upstream`'s URL with PgBouncer's port in place of PostgreSQL's. */
  get url(): string {
    const url = new URL(this.upstream);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  private async run(poolSize: number): Promise<void> {
    const user = decodeURIComponent(this.upstream.username || 'postgres');
    writeFileSync(join(this.dir, 'userlist.txt'), `"${user}" ""\n`);
    writeFileSync(
      join(this.dir, 'pgbouncer.ini'),
      [
        '[databases]',
        `* = host=${this.upstream.hostname} port=${this.upstream.port || 5432}`,
        '[pgbouncer]',
        'listen_addr = 127.0.0.1',
        `listen_port = ${this.port}`,
        'unix_socket_dir =',
        'auth_type = trust',
        `auth_file = ${join(this.dir, 'userlist.txt')}`,
        'pool_mode = transaction',
        `default_pool_size = ${poolSize}`,
        'max_client_conn = 500',
        '',
      ].join('\n'),
    );
    chmodSync(this.dir, 0o755);
    const args = [...(process.getuid?.() === 0 ? ['-u', 'postgres'] : []), join(this.dir, 'pgbouncer.ini')];
    this.child = spawn(pgbouncerBinary() ?? 'pgbouncer', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    await waitUntil(
      () =>
        new Promise<boolean>((resolve) => {
          if (this.child?.exitCode !== null) throw new Error(`pgbouncer exited: ${this.output}`);
          const socket = connect(this.port, '127.0.0.1', () => {
            socket.end();
            resolve(true);
          });
          socket.on('error', () => resolve(false));
        }),
      10_000,
      `pgbouncer on ${this.port}`,
    );
  }

  /** What PgBouncer logged (its errors name what a client did that transaction pooling cannot carry). */
  get log(): string {
    return this.output;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
