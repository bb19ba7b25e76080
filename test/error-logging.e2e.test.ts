import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { freePort, runDist, waitUntil } from './support/processes';

/**
 * A 5xx is logged with what an operator needs to find its cause (issue 19, finding 6: the
 * log said `"err":{"message":"[object Object]"}`): the error's class, message, SQLSTATE and
 * stack, under the request id the client was given, and nothing else reaches the client.
 * Runs the built API as production does, so the log is pino's real output.
 */
describe('the log of a failed request', () => {
  it('carries the error class, message, SQLSTATE and stack with the request id; the client sees only the id', async () => {
    const marker = `log-test-${randomUUID().slice(0, 8)}`;
    const db = new Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    // A database fault of the test's own making, on its sign-up alone.
    await db.query(`CREATE OR REPLACE FUNCTION log_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'forced failure for the log test' USING ERRCODE = 'XX001'; END $$`);
    await db.query(`CREATE TRIGGER log_test_fail BEFORE INSERT ON signups FOR EACH ROW
      WHEN (NEW.source = '${marker}') EXECUTE FUNCTION log_test_fail()`);
    const port = await freePort();
    const api = runDist('main.js', { PORT: String(port), LOG_LEVEL: 'info' });
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitUntil(
        () =>
          fetch(`${base}/health/live`).then(
            (r) => r.ok,
            () => false,
          ),
        20_000,
        'the API',
      );
      const email = uniqueEmail('logged');
      const res = await fetch(`${base}/api/v1/signups`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(signupPayload({ email, source: marker })),
      });
      expect(res.status).toBe(500);
      const requestId = res.headers.get('x-request-id') as string;
      expect(requestId).toEqual(expect.any(String));
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({
        statusCode: 500,
        error: 'Internal Server Error',
        message: `Internal error (request id ${requestId})`,
      });
      for (const leak of ['forced failure', 'XX001', 'signups', 'INSERT', 'QueryFailedError', ' at ']) expect(text).not.toContain(leak);

      let line: { level: number; requestId?: string; err?: Record<string, unknown> } | undefined;
      await waitUntil(
        () => {
          line = api
            .output()
            .split('\n')
            .filter((l) => l.startsWith('{'))
            .map((l) => JSON.parse(l) as typeof line)
            .find((l) => l?.requestId === requestId && l.err !== undefined);
          return line !== undefined;
        },
        5_000,
        'the error line',
      );
      expect(line!.level).toBe(50);
      expect(line!.err).toEqual({
        type: 'QueryFailedError',
        message: 'forced failure for the log test',
        code: 'XX001',
        stack: expect.stringMatching(/^QueryFailedError: forced failure for the log test\n\s+at /) as string,
      });
      expect(api.output()).not.toContain('[object Object]');
      expect(api.output()).not.toContain(email);
    } finally {
      api.child.kill('SIGTERM');
      await api.exited;
      await db.query(`DROP TRIGGER IF EXISTS log_test_fail ON signups`);
      await db.query(`DROP FUNCTION IF EXISTS log_test_fail()`);
      await db.end();
    }
  }, 60_000);
});
