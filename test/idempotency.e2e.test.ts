import request from 'supertest';
import { OutboxRelay } from '../src/outbox/outbox-relay.service';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { SmtpSink } from './support/smtp-sink';

/** Every job is safe to run twice: duplicates, retries and re-drives send one email. */
describe('exactly one confirmation email, whatever runs twice', () => {
  let sink: SmtpSink;
  let platform: Platform;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  async function signupIdFor(email: string): Promise<string> {
    const [row] = await platform.db.query(`SELECT id FROM signups WHERE email_normalized = $1`, [email]);
    return row.id;
  }

  it('dispatching the same outbox entry again adds no second email', async () => {
    const email = uniqueEmail('redispatch');
    await request(platform.api.getHttpServer()).post('/api/v1/signups').send(signupPayload({ email }));
    await sink.waitFor(email);
    await platform.db.query(`UPDATE outbox SET dispatched_at = NULL WHERE payload->>'signupId' = $1`, [await signupIdFor(email)]);
    await platform.api.get(OutboxRelay).dispatch({});
    await new Promise((r) => setTimeout(r, 1_500));
    expect(sink.to(email)).toHaveLength(1);
  });

  it('a temporary SMTP refusal (451) is retried and delivered once', async () => {
    const email = uniqueEmail('retry');
    sink.refuse = { code: 451, remaining: 1 };
    await request(platform.api.getHttpServer()).post('/api/v1/signups').send(signupPayload({ email }));
    await sink.waitFor(email, 1, 20_000);
    expect(sink.refuse.remaining).toBe(0);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(sink.to(email)).toHaveLength(1);
  }, 30_000);

  it('a permanent SMTP refusal (550) marks the email failed and is not retried', async () => {
    const email = uniqueEmail('refused');
    sink.refuse = { code: 550, remaining: 1 };
    await request(platform.api.getHttpServer()).post('/api/v1/signups').send(signupPayload({ email }));
    const deadline = Date.now() + 10_000;
    let status: string | undefined;
    while (Date.now() < deadline && status !== 'failed') {
      const rows = await platform.db.query(
        `SELECT m.status FROM email_messages m JOIN people p ON p.id = m.person_id WHERE p.email_normalized = $1`,
        [email],
      );
      status = rows[0]?.status;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('failed');
    await new Promise((r) => setTimeout(r, 3_000));
    expect(sink.to(email)).toHaveLength(0);
    sink.refuse = undefined;
  }, 30_000);
});
