import { readdirSync, readFileSync } from 'node:fs';
import { freePort, runDist, waitUntil } from './support/processes';

/** The pids whose parent is `pid` (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of stat is the parent pid; the name (field 2) is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the API on every core (API_PROCESSES, node:cluster)', () => {
  it('serves from API_PROCESSES processes on one port, replaces one that dies, and stops them all on SIGTERM', async () => {
    const port = await freePort();
    const proc = runDist('main.js', { PORT: String(port), API_PROCESSES: '2' });
    const live = (): Promise<boolean> =>
      fetch(`http://127.0.0.1:${port}/health/live`).then(
        (r) => r.ok,
        () => false,
      );
    try {
      await waitUntil(live, 30_000, 'the API');
      const primary = proc.child.pid!;
      await waitUntil(() => childrenOf(primary).length === 2, 30_000, 'two API processes');
      const [first, second] = childrenOf(primary);
      expect(proc.output()).toContain('api: 2 processes (API_PROCESSES)');
      // Both listen: each printed its line, on the one port.
      await waitUntil(() => proc.output().split(`api: listening on port ${port}`).length - 1 === 2, 30_000, 'both listening');

      // Many requests on new connections: all answered, whichever process takes each.
      const statuses = await Promise.all(
        Array.from({ length: 40 }, () =>
          fetch(`http://127.0.0.1:${port}/api/v1/petitions/no-such-one`, { headers: { connection: 'close' } }),
        ),
      );
      expect(statuses.map((r) => r.status)).toEqual(Array(40).fill(404));

      // A process killed is replaced; the port answers meanwhile from the other one.
      process.kill(first, 'SIGKILL');
      await waitUntil(() => !alive(first), 10_000, 'the killed process to go');
      expect(await live()).toBe(true);
      await waitUntil(() => childrenOf(primary).length === 2 && !childrenOf(primary).includes(first), 30_000, 'a replacement');
      expect(childrenOf(primary)).toContain(second);
      await waitUntil(() => proc.output().split(`api: listening on port ${port}`).length - 1 === 3, 30_000, 'the replacement listening');

      const children = childrenOf(primary);
      proc.child.kill('SIGTERM');
      const { code } = await proc.exited;
      expect(code).toBe(0);
      for (const pid of children) expect(alive(pid)).toBe(false);
      expect(await live()).toBe(false);
    } finally {
      proc.child.kill('SIGKILL');
    }
  }, 120_000);

  it('runs one process where API_PROCESSES is unset outside production', async () => {
    const port = await freePort();
    const proc = runDist('main.js', { PORT: String(port), NODE_ENV: 'test' });
    try {
      await waitUntil(
        () =>
          fetch(`http://127.0.0.1:${port}/health/live`).then(
            (r) => r.ok,
            () => false,
          ),
        30_000,
        'the API',
      );
      expect(childrenOf(proc.child.pid!)).toEqual([]);
      expect(proc.output()).not.toContain('API_PROCESSES');
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  }, 60_000);
});
