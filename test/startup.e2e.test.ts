import { freePort, runDist, waitUntil } from './support/processes';

describe('start-up checks of the built entrypoints', () => {
  it.each(['main.js', 'worker.js', 'cli.js'])('%s stops with one line naming a bad variable', async (script) => {
    const proc = runDist(script, { PORT: 'not-a-port' }, script === 'cli.js' ? ['organizer:create'] : []);
    const { code } = await proc.exited;
    expect(code).not.toBe(0);
    expect(proc.output().trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: PORT /)]);
  });
});

describe('start-up without PostgreSQL', () => {
  it.each(['main.js', 'worker.js'])('%s refuses to start with one line naming DATABASE_URL', async (script) => {
    const port = await freePort();
    const proc = runDist(script, { DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nowhere`, DATABASE_WAIT_SECONDS: '0' });
    const { code } = await proc.exited;
    expect(code).toBe(69);
    expect(proc.output().trim().split('\n')).toEqual([
      expect.stringMatching(/refusing to start: PostgreSQL at DATABASE_URL is not reachable/),
    ]);
  });
});

describe('API shutdown', () => {
  it('SIGTERM stops the API cleanly (exit 0)', async () => {
    const port = await freePort();
    const proc = runDist('main.js', { PORT: String(port) });
    try {
      await waitUntil(
        () =>
          fetch(`http://127.0.0.1:${port}/health/live`).then(
            (r) => r.ok,
            () => false,
          ),
        15_000,
        'the API',
      );
      proc.child.kill('SIGTERM');
      const { code } = await proc.exited;
      expect(code).toBe(0);
      await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    } finally {
      proc.child.kill('SIGKILL');
    }
  });
});
