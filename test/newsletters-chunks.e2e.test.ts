import Redis from 'ioredis';
import { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import request from 'supertest';
import { AppConfig } from '../src/config/app-config';
import { SuppressionRepository } from '../src/mail/suppression.repository';
import { IN_DOUBT_CHUNKS } from '../src/mailings/mailing-sender.service';
import { SendRateLimiter } from '../src/mailings/send-rate-limiter.service';
import { createOrganizer } from './factories/organizer.factory';
import { createList, createSubscriber, mailingPayload } from './factories/mailing.factory';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';

/**
 * An SMTP server that answers per recipient: `answers.get(address)` is a queue of reply
 * codes for that address's next messages (accepted once it is empty), and `holdMs` keeps
 * each accepted message inside its SMTP transaction for a while.
 */
class ScriptedSink {
  readonly accepted: string[] = [];
  readonly answers = new Map<string, number[]>();
  holdMs = 0;
  /** Messages whose data has arrived and whose answer has not been given yet. */
  inFlight = 0;
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        this.inFlight++;
        stream.resume();
        stream.on('end', () => {
          const to = session.envelope.rcptTo[0].address.toLowerCase();
          const code = this.answers.get(to)?.shift();
          setTimeout(() => {
            this.inFlight--;
            if (code !== undefined) {
              callback(Object.assign(new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'), { responseCode: code }));
              return;
            }
            this.accepted.push(to);
            callback();
          }, this.holdMs);
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}?tls=off`;
  }

  count(address: string): number {
    return this.accepted.filter((a) => a === address.toLowerCase()).length;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

describe('newsletters sent a chunk at a time (claim, send in parallel, record in one statement)', () => {
  let sink: ScriptedSink;
  let platform: Platform;
  let key: string;
  const http = () => request(platform.api.getHttpServer());
  const admin = (method: 'get' | 'post', path: string) => http()[method](path).set('authorization', `Bearer ${key}`);
  const mailing = async (id: string) => (await admin('get', `/api/v1/admin/mailings/${id}`)).body;

  beforeAll(async () => {
    sink = await new ScriptedSink().start();
    // Four connections: a chunk is four messages, sent at once.
    platform = await startPlatform({ SMTP_URL: sink.url, MAIL_RATE_PER_SECOND: '0', MAILING_CONCURRENCY: '4' });
    key = (await createOrganizer(platform.api, 'organizer')).apiKey;
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  it('one chunk, partly refused: the 5xx fails and bounces that message only, the 4xx is retried, the others go once', async () => {
    const list = await createList(platform.db);
    const people = [];
    for (let i = 0; i < 4; i++) people.push(await createSubscriber(platform.db, { lists: [{ id: list.id }] }));
    const [refused, deferred, ...fine] = people;
    sink.answers.set(refused.email.toLowerCase(), [550]);
    sink.answers.set(deferred.email.toLowerCase(), [451]);
    const id = (await admin('post', '/api/v1/admin/mailings').send(mailingPayload([list.slug]))).body.id as string;
    expect((await admin('post', `/api/v1/admin/mailings/${id}/send`)).status).toBe(200);
    await waitUntil(async () => (await mailing(id)).status === 'sent', 30_000, 'the mailing to be sent');

    expect(sink.count(refused.email)).toBe(0);
    expect(sink.count(deferred.email)).toBe(1);
    for (const p of fine) expect(sink.count(p.email)).toBe(1);
    expect((await mailing(id)).stats).toEqual(expect.objectContaining({ recipients: 4, sent: 3, failed: 1, bounced: 1, pending: 0 }));
    expect(await platform.api.get(SuppressionRepository).isSuppressed(refused.email)).toBe(true);
    expect(await platform.api.get(SuppressionRepository).isSuppressed(deferred.email)).toBe(false);
    const rows: Array<{ person_id: string; status: string; attempts: number; bounced: boolean }> = await platform.db.query(
      `SELECT person_id, status, attempts, bounced_at IS NOT NULL AS bounced FROM mailing_deliveries WHERE mailing_id = $1`,
      [id],
    );
    const byPerson = new Map(rows.map((r) => [r.person_id, r]));
    expect(byPerson.get(refused.id)).toEqual(expect.objectContaining({ status: 'failed', attempts: 1, bounced: true }));
    expect(byPerson.get(deferred.id)).toEqual(expect.objectContaining({ status: 'sent', attempts: 2, bounced: false }));
    for (const p of fine) expect(byPerson.get(p.id)).toEqual(expect.objectContaining({ status: 'sent', attempts: 1, bounced: false }));
  }, 60_000);

  it('cancel while chunks are claimed (one in its SMTP transactions, one waiting for the connections): those are sent and recorded once, nothing after them', async () => {
    const list = await createList(platform.db);
    const people = [];
    for (let i = 0; i < 20; i++) people.push(await createSubscriber(platform.db, { lists: [{ id: list.id }] }));
    const id = (await admin('post', '/api/v1/admin/mailings').send(mailingPayload([list.slug]))).body.id as string;
    sink.holdMs = 1_500;
    try {
      expect((await admin('post', `/api/v1/admin/mailings/${id}/send`)).status).toBe(200);
      await waitUntil(() => sink.inFlight > 0, 20_000, 'the first chunk to be in its SMTP transactions');
      const claimed = Number(
        (await platform.db.query(`SELECT count(*)::int AS n FROM mailing_deliveries WHERE mailing_id = $1 AND status = 'sending'`, [id]))[0]
          .n,
      );
      expect(claimed).toBeGreaterThan(0);
      // One chunk per connection on the wire and the next one claimed ahead, never more.
      expect(claimed).toBeLessThanOrEqual(IN_DOUBT_CHUNKS * 4);
      expect((await admin('post', `/api/v1/admin/mailings/${id}/cancel`)).body.status).toBe('cancelled');

      await waitUntil(
        async () => {
          const stats = (await mailing(id)).stats;
          return stats.pending === 0 && sink.inFlight === 0;
        },
        20_000,
        'the chunk in flight to be recorded and the rest cancelled',
      );
      const delivered = people.filter((p) => sink.count(p.email) > 0).length;
      await new Promise((r) => setTimeout(r, 2_000));
      // Nothing claimed after the cancel: what was in flight is all that went out.
      expect(people.filter((p) => sink.count(p.email) > 0).length).toBe(delivered);
      expect(delivered).toBe(claimed);
      for (const p of people) expect(sink.count(p.email)).toBeLessThanOrEqual(1);
      const statuses: Array<{ status: string; n: number }> = await platform.db.query(
        `SELECT status, count(*)::int AS n FROM mailing_deliveries WHERE mailing_id = $1 GROUP BY status`,
        [id],
      );
      expect(Object.fromEntries(statuses.map((s) => [s.status, s.n]))).toEqual({ sent: delivered, cancelled: 20 - delivered });
    } finally {
      sink.holdMs = 0;
    }
  }, 60_000);

  it('MAIL_RATE_PER_SECOND holds when workers take slots a chunk at a time', async () => {
    const config = Object.assign(new AppConfig(), platform.worker!.get(AppConfig), { MAIL_RATE_PER_SECOND: 10 });
    // Two limiters on two Redis connections: two worker processes as far as Redis can tell.
    const redisA = new Redis(config.REDIS_URL);
    const redisB = new Redis(config.REDIS_URL);
    try {
      const workers = [new SendRateLimiter(redisA, config), new SendRateLimiter(redisB, config)];
      const perSecond = new Map<number, number>();
      await Promise.all(
        workers.map(async (w) => {
          for (let taken = 0; taken < 20;) {
            const { granted, second } = await w.acquireUpTo(Math.min(4, 20 - taken));
            expect(granted).toBeGreaterThan(0);
            expect(granted).toBeLessThanOrEqual(4);
            perSecond.set(second!, (perSecond.get(second!) ?? 0) + granted);
            taken += granted;
          }
        }),
      );
      expect([...perSecond.values()].reduce((a, b) => a + b, 0)).toBe(40);
      expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(10);
      expect(perSecond.size).toBeGreaterThanOrEqual(4);
    } finally {
      redisA.disconnect();
      redisB.disconnect();
    }
  });
});
