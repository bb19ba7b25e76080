import request from 'supertest';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { runDist, waitUntil } from './support/processes';
import { SmtpSink } from './support/smtp-sink';

describe('worker shutdown', () => {
  let sink: SmtpSink;
  let platform: Platform;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    // API only: the jobs are consumed by real worker processes below.
    platform = await startPlatform({ SMTP_URL: sink.url }, { worker: false });
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  it('SIGTERM lets the worker finish its active job, then exit; nothing is lost or sent twice', async () => {
    const email = uniqueEmail('drain');
    sink.delayMs = 2_000;
    let inFlight = false;
    sink.onData = () => (inFlight = true);

    const worker = runDist('worker.js', { SMTP_URL: sink.url });
    try {
      const res = await request(platform.api.getHttpServer()).post('/api/v1/signups').send(signupPayload({ email }));
      expect(res.status).toBe(202);
      await waitUntil(() => inFlight, 20_000, 'the confirmation to be in flight');

      worker.child.kill('SIGTERM');
      const { code } = await worker.exited;
      expect(code).toBe(0);
      // It exited only after the SMTP server had accepted the message.
      expect(sink.to(email)).toHaveLength(1);
      const [message] = await platform.db.query(
        `SELECT m.status FROM email_messages m JOIN people p ON p.id = m.person_id WHERE p.email_normalized = $1`,
        [email],
      );
      expect(message.status).toBe('sent');
    } finally {
      worker.child.kill('SIGKILL');
      sink.delayMs = 0;
      sink.onData = undefined;
    }

    // A new worker finds nothing left to do for this sign-up.
    const next = runDist('worker.js', { SMTP_URL: sink.url });
    try {
      await new Promise((r) => setTimeout(r, 3_000));
      expect(sink.to(email)).toHaveLength(1);
    } finally {
      next.child.kill('SIGTERM');
      await next.exited;
    }
  }, 60_000);
});
