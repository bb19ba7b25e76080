import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Client } from 'pg';
import { freePort, ROOT, waitUntil } from './support/processes';

/**
 * `npm start` (scripts/start.js) on a fresh install: beside the URLs it prints a one-time
 * set-up link for the first admin, and its output is readable (pretty lines, no JSON and
 * none of Nest's boot lines) outside production. A database of its own, made empty here.
 */
jest.setTimeout(120_000);

describe('npm start (scripts/start.js)', () => {
  const base = new URL(process.env.DATABASE_URL as string);
  const database = `${base.pathname.slice(1)}_start`;
  const url = new URL(base);
  url.pathname = `/${database}`;
  const admin = new URL(base);
  admin.pathname = '/postgres';

  async function sql(query: string, target = admin): Promise<void> {
    const client = new Client({ connectionString: target.toString() });
    await client.connect();
    try {
      await client.query(query);
    } finally {
      await client.end();
    }
  }

  beforeAll(() => sql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  afterAll(() => sql(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));

  /** Runs start.js until it says it is running; returns everything it printed and stops it. */
  async function runStart(whileUp?: (output: string, port: number) => Promise<void>): Promise<{ output: string; port: number }> {
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      PORT: String(port),
      DATABASE_URL: url.toString(),
      QUEUE_PREFIX: `start-${port}`,
    };
    for (const key of ['LOG_FORMAT', 'PUBLIC_URL', 'npm_lifecycle_event']) delete env[key];
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.js')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitUntil(() => output.includes('Ctrl-C stops the API'), 90_000, 'npm start');
      // A request, to see what a request's log line looks like.
      await fetch(`http://127.0.0.1:${port}/console/sign-in`);
      await whileUp?.(output, port);
      await new Promise((r) => setTimeout(r, 1_000));
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
    return { output, port };
  }

  it('prints a one-time set-up link for the first admin, readable lines, and no JSON', async () => {
    let enrollment = '';
    const { output, port } = await runStart(async (printed, p) => {
      // The link works: the address typed becomes the admin, whose enrollment page follows.
      const link = new RegExp(`Set up   (http://localhost:${p}/console/invitations/[0-9a-f]{64})`).exec(printed)?.[1] as string;
      const path = new URL(link).pathname;
      const local = `http://127.0.0.1:${p}${path}`;
      const setup = await fetch(`${local}/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://localhost:${p}` },
        body: 'email=first-admin%40movement.test',
        redirect: 'manual',
      });
      expect(setup.status).toBe(303);
      enrollment = await (await fetch(local)).text();
    });
    expect(enrollment).toContain('You are invited as admin, with the address first-admin@movement.test.');
    const link = new RegExp(`^  Set up   (http://localhost:${port}/console/invitations/[0-9a-f]{64})$`, 'm').exec(output)?.[1];
    expect(link).toBeDefined();
    expect(output).toMatch(new RegExp(`^  Console  http://localhost:${port}/console$`, 'm'));
    const lines = output.trim().split('\n');
    expect(lines.filter((line) => line.trim().startsWith('{'))).toEqual([]);
    expect(output).not.toMatch(/RoutesResolver|RouterExplorer|InstanceLoader/);
    expect(lines.length).toBeLessThan(40);
    expect(output).toMatch(/GET \/console\/sign-in 200/);

    // Only while nobody is an organizer.
    const again = await runStart();
    expect(again.output).not.toContain('Set up ');
  });
});
