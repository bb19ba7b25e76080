import { Client } from 'pg';
import request from 'supertest';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { SmtpSink } from './support/smtp-sink';

/**
 * PostgreSQL "briefly gone": every connection of the platform is killed over and over while
 * sign-ups arrive and the worker sends. Afterwards each accepted sign-up is emailed exactly
 * once, and each refused one (5xx) left nothing behind.
 */
describe('PostgreSQL briefly gone', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let killer: Client;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    const admin = new URL(process.env.DATABASE_URL as string);
    admin.pathname = '/postgres';
    killer = new Client({ connectionString: admin.toString() });
    await killer.connect();
  });
  afterAll(async () => {
    await killer.end();
    await platform.close();
    await sink.stop();
  });

  it('loses nothing and sends nothing twice', async () => {
    const database = new URL(process.env.DATABASE_URL as string).pathname.slice(1);
    let blinking = true;
    let kills = 0;
    const blinker = (async () => {
      while (blinking) {
        const rows = await killer.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
          [database],
        );
        kills += rows.rowCount ?? 0;
        await new Promise((r) => setTimeout(r, 40));
      }
    })();

    const emails = Array.from({ length: 40 }, () => uniqueEmail('blink'));
    const answers = await Promise.all(
      emails.map(async (email, i) => {
        await new Promise((r) => setTimeout(r, i * 25));
        const res = await request(platform.api.getHttpServer()).post('/api/v1/signups').send(signupPayload({ email }));
        return { email, status: res.status, body: res.body };
      }),
    );
    await new Promise((r) => setTimeout(r, 500));
    blinking = false;
    await blinker;
    expect(kills).toBeGreaterThan(0);

    for (const a of answers) {
      expect([202, 503]).toContain(a.status);
      if (a.status === 503) expect(a.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    }
    const accepted = answers.filter((a) => a.status === 202).map((a) => a.email);
    const refused = answers.filter((a) => a.status !== 202).map((a) => a.email);
    expect(accepted.length).toBeGreaterThan(0);

    // BullMQ retries what failed mid-job; give it time, then check for duplicates too.
    const stored = async (email: string) =>
      (await platform.db.query(`SELECT count(*)::int AS n FROM signups WHERE email_normalized = $1`, [email]))[0].n as number;
    for (const email of refused) if ((await stored(email)) > 0) await sink.waitFor(email, 1, 45_000);
    for (const email of accepted) {
      try {
        await sink.waitFor(email, 1, 45_000);
      } catch (err) {
        console.log(
          'state of the sign-up whose email never came:',
          JSON.stringify(
            await platform.db.query(
              `SELECT s.status, s.id, o.dispatched_at, o.attempts, m.status AS m_status, m.last_error FROM signups s LEFT JOIN outbox o ON o.payload->>'signupId' = s.id::text LEFT JOIN email_messages m ON m.dedupe_key = 'signup:' || s.id WHERE s.email_normalized = $1`,
              [email],
            ),
          ),
        );
        throw err;
      }
    }
    await new Promise((r) => setTimeout(r, 2_000));
    for (const email of accepted) expect(sink.to(email)).toHaveLength(1);
    // A 503 whose connection died after the commit may still have stored the sign-up
    // (retrying is safe): then it is processed like any other. Never half-written.
    for (const email of refused) {
      const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM signups WHERE email_normalized = $1`, [email]);
      if (n === 0) expect(sink.to(email)).toHaveLength(0);
      else expect(sink.to(email)).toHaveLength(1);
      const [{ orphans }] = await platform.db.query(
        `SELECT count(*)::int AS orphans FROM signups s WHERE s.email_normalized = $1 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.payload->>'signupId' = s.id::text)`,
        [email],
      );
      expect(orphans).toBe(0);
    }
    const [{ stuck }] = await platform.db.query(
      `SELECT count(*)::int AS stuck FROM email_messages m JOIN people p ON p.id = m.person_id WHERE p.email_normalized = ANY($1) AND m.status <> 'sent'`,
      [accepted],
    );
    expect(stuck).toBe(0);
  }, 90_000);
});
