import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { freePort, runDist, RunningProcess, waitUntil } from './support/processes';
import { actionLink, SmtpSink } from './support/smtp-sink';

/**
 * What supporters type, their link tokens and their addresses never reach a log line, even
 * at the most verbose level. Runs the built API and worker as production does.
 */
describe('logs', () => {
  it('carry no email address, name, token or client IP at trace level', async () => {
    const sink = await new SmtpSink().start();
    const port = await freePort();
    const env = { PORT: String(port), SMTP_URL: sink.url, LOG_LEVEL: 'trace', PUBLIC_URL: 'http://links.test' };
    const procs: RunningProcess[] = [runDist('main.js', env), runDist('worker.js', env)];
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitUntil(
        () =>
          fetch(`${base}/health/ready`).then(
            (r) => r.ok,
            () => false,
          ),
        20_000,
        'the API',
      );
      const email = uniqueEmail('private');
      const givenName = 'Shirin-Unlogged';
      const post = (body: unknown) =>
        fetch(`${base}/api/v1/signups`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post(signupPayload({ email, givenName }))).status).toBe(202);
      expect((await post(signupPayload({ email, givenName, country: 'ZZ' }))).status).toBe(400);
      const [mail] = await sink.waitFor(email);
      const link = new URL(actionLink(mail));
      const token = link.pathname.split('/').pop() as string;
      expect((await fetch(`${base}${link.pathname}`)).status).toBe(200);
      expect((await fetch(`${base}${link.pathname}`, { method: 'POST' })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));

      const logs = procs.map((p) => p.output()).join('\n');
      expect(logs).toContain('/confirm/[token]');
      for (const secret of [email, givenName, token, '127.0.0.1']) expect(logs).not.toContain(secret);
    } finally {
      for (const p of procs) p.child.kill('SIGTERM');
      await Promise.all(procs.map((p) => p.exited));
      await sink.stop();
    }
  }, 60_000);
});
