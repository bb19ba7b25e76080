import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, waitUntil } from './processes';

/** A port that is free, and whose cluster bus port (port + 10000) is free too. */
async function freeClusterPort(taken: Set<number>): Promise<number> {
  const free = (port: number): Promise<boolean> =>
    new Promise((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (taken.has(port) || taken.has(port + 10_000)) continue;
    if ((await free(port)) && (await free(port + 10_000))) {
      taken.add(port);
      taken.add(port + 10_000);
      return port;
    }
  }
}

/**
 * A real Redis Cluster of the test's own: three primaries and a replica for each, on free
 * local ports, made with `redis-cli --cluster create`, with a short node timeout so a
 * failover takes seconds. `failOver(key)` kills the primary holding the key's slot, waits
 * until its replica has taken over, then brings the old primary back as the new one's replica.
 */
export class TestRedisCluster {
  readonly ports: number[] = [];
  private readonly nodes = new Map<number, ChildProcess>();
  private readonly dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));

  static async start(): Promise<TestRedisCluster> {
    const cluster = new TestRedisCluster();
    // A test that times out never reaches its afterAll, and Jest's forced exit does not end
    // the children: they end with this process, whatever happens.
    process.once('exit', () => cluster.killNow());
    const taken = new Set<number>();
    for (let i = 0; i < 6; i++) cluster.ports.push(await freeClusterPort(taken));
    for (const port of cluster.ports) cluster.startNode(port);
    for (const port of cluster.ports)
      await waitUntil(async () => (await cluster.cli(port, 'ping').catch(() => '')).includes('PONG'), 10_000, `redis ${port}`);
    await run(
      'redis-cli',
      ['--cluster', 'create', ...cluster.ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '1', '--cluster-yes'],
      {
        timeoutMs: 60_000,
      },
    );
    await cluster.waitHealthy(cluster.ports);
    // A replica takes over only once it has synced with its primary.
    await waitUntil(
      async () => {
        let synced = 0;
        for (const port of cluster.ports) if ((await cluster.cli(port, 'info', 'replication')).includes('master_link_status:up')) synced++;
        return synced === 3;
      },
      30_000,
      'every replica to sync with its primary',
    );
    return cluster;
  }

  /** `host:port,...` for REDIS_CLUSTER_NODES. */
  get nodesSetting(): string {
    return this.ports.map((p) => `127.0.0.1:${p}`).join(',');
  }

  private startNode(port: number): void {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '1500',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        this.dir,
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    this.nodes.set(port, child);
  }

  private running(port: number): boolean {
    const child = this.nodes.get(port);
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  cli(port: number, ...args: string[]): Promise<string> {
    return run('redis-cli', ['-p', String(port), ...args], { timeoutMs: 5_000 });
  }

  /** Every live node says the cluster is ok and every slot is served. */
  private async waitHealthy(ports: number[]): Promise<void> {
    await waitUntil(
      async () => {
        for (const port of ports) {
          const info = await this.cli(port, 'cluster', 'info').catch(() => '');
          if (!info.includes('cluster_state:ok') || !info.includes('cluster_slots_ok:16384')) return false;
        }
        return true;
      },
      60_000,
      'the Redis Cluster to be ok on every node',
    );
  }

  /** The port of the primary serving the slot of `key`. */
  async primaryOf(key: string): Promise<number> {
    const alive = this.ports.filter((p) => this.running(p));
    const slot = Number((await this.cli(alive[0], 'cluster', 'keyslot', key)).trim());
    for (const line of (await this.cli(alive[0], 'cluster', 'nodes')).trim().split('\n')) {
      const [, address, flags, , , , , , ...ranges] = line.split(' ');
      if (!flags.includes('master') || flags.includes('fail')) continue;
      for (const range of ranges) {
        const [from, to = from] = range.split('-').map(Number);
        if (slot >= from && slot <= to) return Number(address.split(':')[1].split('@')[0]);
      }
    }
    throw new Error(`no primary serves slot ${slot}`);
  }

  /** Kills (SIGKILL) the primary holding `key`'s slot and waits until a replica serves it; returns the killed port. */
  async failOver(key: string): Promise<number> {
    const port = await this.primaryOf(key);
    const child = this.nodes.get(port)!;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
    const alive = this.ports.filter((p) => p !== port);
    await waitUntil(async () => (await this.primaryOf(key).catch(() => port)) !== port, 30_000, 'a replica to take the slot over');
    await this.waitHealthy(alive);
    // The old primary comes back as a replica of the new one, so the next failover has one.
    this.startNode(port);
    await waitUntil(
      async () => (await this.cli(port, 'info', 'replication').catch(() => '')).includes('master_link_status:up'),
      30_000,
      `${port} to rejoin as a replica`,
    );
    return port;
  }

  private killNow(): void {
    for (const child of this.nodes.values()) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  async stop(): Promise<void> {
    await Promise.all(
      [...this.nodes.values()].map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    rmSync(this.dir, { recursive: true, force: true });
  }
}
