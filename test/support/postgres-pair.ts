import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, run } from './processes';

const BINARIES = ['initdb', 'pg_ctl', 'pg_basebackup'] as const;

/**
 * The directory holding initdb, pg_ctl and pg_basebackup of one PostgreSQL version: Debian's
 * versioned directory (its /usr/bin holds wrappers of some only), else the one on PATH; null
 * when they are missing.
 */
export function postgresBinDir(): string | null {
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    for (const version of readdirSync(debian).sort((a, b) => Number(b) - Number(a))) {
      const dir = join(debian, version, 'bin');
      if (BINARIES.every((b) => existsSync(join(dir, b)))) return dir;
    }
  }
  try {
    const initdb = realpathSync(execFileSync('sh', ['-c', 'command -v initdb']).toString().trim());
    const dir = dirname(initdb);
    return BINARIES.every((b) => existsSync(join(dir, b))) ? dir : null;
  } catch {
    return null;
  }
}

/**
 * A PostgreSQL primary and a streaming replica of the test's own: `initdb` on a free port
 * (trust, replication allowed from 127.0.0.1), then `pg_basebackup -R` of it started on
 * another port as a hot standby. PostgreSQL refuses to run as root: started by root (as CI
 * is), every command runs as the `postgres` user.
 */
export class TestPostgresPair {
  private readonly dir = mkdtempSync(join(tmpdir(), 'pg-pair-'));
  private readonly asRoot = process.getuid?.() === 0;

  private constructor(
    private readonly bin: string,
    readonly primaryPort: number,
    readonly replicaPort: number,
  ) {}

  static async start(database: string): Promise<TestPostgresPair> {
    const bin = postgresBinDir();
    if (!bin) throw new Error('initdb, pg_ctl and pg_basebackup not found');
    const pair = new TestPostgresPair(bin, await freePort(), await freePort());
    // pg_ctl detaches the servers: end them with this process even when a timed-out test
    // never reaches its afterAll (SIGQUIT: PostgreSQL's immediate shutdown).
    process.once('exit', () => pair.killNow());
    try {
      await pair.startPrimary();
      await pair.psql(pair.primaryPort, 'postgres', `CREATE DATABASE "${database}"`);
      await pair.startReplica();
    } catch (err) {
      await pair.stop();
      throw err;
    }
    return pair;
  }

  url(port: number, database: string): string {
    return `postgres://postgres@127.0.0.1:${port}/${database}`;
  }

  private exec(binary: string, args: string[]): Promise<string> {
    const path = join(this.bin, binary);
    return this.asRoot
      ? run('runuser', ['-u', 'postgres', '--', path, ...args], { timeoutMs: 60_000 })
      : run(path, args, { timeoutMs: 60_000 });
  }

  private psql(port: number, database: string, sql: string): Promise<string> {
    return run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-Atc', sql]);
  }

  private dataDir(name: string): string {
    return join(this.dir, name);
  }

  private async startPrimary(): Promise<void> {
    if (this.asRoot) {
      // The postgres user must own the data directories.
      chmodSync(this.dir, 0o755);
      const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
      const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
      chownSync(this.dir, uid, gid);
    }
    const data = this.dataDir('primary');
    await this.exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C.UTF-8']);
    appendFileSync(join(data, 'pg_hba.conf'), 'host replication all 127.0.0.1/32 trust\n');
    await this.pgCtl(data, this.primaryPort, ['-c', 'wal_level=replica', '-c', 'max_wal_senders=4', '-c', 'fsync=off']);
  }

  private async startReplica(): Promise<void> {
    const data = this.dataDir('replica');
    await this.exec('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(this.primaryPort),
      '-U',
      'postgres',
      '-D',
      data,
      '-R',
      '-X',
      'stream',
      // A fast checkpoint: the default spreads it over minutes.
      '--checkpoint',
      'fast',
    ]);
    await this.pgCtl(data, this.replicaPort, ['-c', 'hot_standby=on', '-c', 'hot_standby_feedback=on', '-c', 'fsync=off']);
  }

  private async pgCtl(data: string, port: number, settings: string[]): Promise<void> {
    const options = ['-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${this.dir}`, ...settings];
    await this.exec('pg_ctl', ['-D', data, '-l', join(data, 'server.log'), '-o', options.join(' '), '-w', 'start']);
  }

  /** Waits until the replica has replayed everything the primary has written so far. */
  async caughtUp(database: string): Promise<void> {
    const lsn = (await this.psql(this.primaryPort, database, 'SELECT pg_current_wal_lsn()')).trim();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const behind = (await this.psql(this.replicaPort, database, `SELECT pg_wal_lsn_diff('${lsn}', pg_last_wal_replay_lsn()) > 0`)).trim();
      if (behind === 'f') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the replica did not catch up within 20 s');
  }

  /** Pauses (or resumes) replay on the replica: what the primary writes meanwhile is not there yet. */
  async replay(database: string, on: boolean): Promise<void> {
    await this.psql(this.replicaPort, database, on ? 'SELECT pg_wal_replay_resume()' : 'SELECT pg_wal_replay_pause()');
  }

  private killNow(): void {
    for (const name of ['replica', 'primary']) {
      try {
        const pid = Number(readFileSync(join(this.dataDir(name), 'postmaster.pid'), 'utf8').split('\n')[0]);
        if (pid > 0) process.kill(pid, 'SIGQUIT');
      } catch {
        // not running
      }
    }
  }

  async stop(): Promise<void> {
    for (const name of ['replica', 'primary']) {
      if (existsSync(join(this.dataDir(name), 'postmaster.pid')))
        await this.exec('pg_ctl', ['-D', this.dataDir(name), '-m', 'immediate', 'stop']).catch(() => undefined);
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
