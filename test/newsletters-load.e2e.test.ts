import Redis from 'ioredis';
import request from 'supertest';
import { AppConfig } from '../src/config/app-config';
import { SendRateLimiter } from '../src/mailings/send-rate-limiter.service';
import { createOrganizer } from './factories/organizer.factory';
import { createList, createManySubscribers, mailingPayload } from './factories/mailing.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';
import { SmtpSink } from './support/smtp-sink';

describe('newsletters under load', () => {
  let sink: SmtpSink;
  let platform: Platform;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    // No rate cap: the newsletter takes every slot it can, the worst case for confirmations.
    platform = await startPlatform({ SMTP_URL: sink.url, MAIL_RATE_PER_SECOND: '0' });
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  it('a confirmation email requested during a 10,000-recipient newsletter arrives within seconds; cancel stops the rest', async () => {
    const total = 10_000;
    const tag = `load-${Date.now()}`;
    const list = await createList(platform.db, 'Everyone');
    await createManySubscribers(platform.db, list.id, total, tag);
    const key = (await createOrganizer(platform.api, 'organizer')).apiKey;
    const http = () => request(platform.api.getHttpServer());
    const get = async () => (await http().get(`/api/v1/admin/mailings/${id}`).set('authorization', `Bearer ${key}`)).body;
    const newsletterCounts = (): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const m of sink.messages) for (const to of m.to) if (to.startsWith(`${tag}-`)) counts.set(to, (counts.get(to) ?? 0) + 1);
      return counts;
    };

    const created = await http()
      .post('/api/v1/admin/mailings')
      .set('authorization', `Bearer ${key}`)
      .send(mailingPayload([list.slug]));
    const id = created.body.id as string;
    await http().post(`/api/v1/admin/mailings/${id}/send`).set('authorization', `Bearer ${key}`);
    await waitUntil(() => newsletterCounts().size >= 300, 60_000, 'the newsletter to be well under way');
    expect((await get()).status).toBe('sending');

    const email = uniqueEmail('during-newsletter');
    expect((await http().post('/api/v1/signups').send(signupPayload({ email }))).status).toBe(202);
    // Within seconds (the sink's default wait is 10 s), while thousands of newsletters are still queued.
    await sink.waitFor(email, 1, 10_000);
    const during = await get();
    expect(during.status).toBe('sending');
    expect(during.stats.recipients).toBe(total);
    expect(during.stats.sent).toBeLessThan(total);

    expect((await http().post(`/api/v1/admin/mailings/${id}/cancel`).set('authorization', `Bearer ${key}`)).body.status).toBe('cancelled');
    await waitUntil(async () => (await get()).stats.pending === 0, 20_000, 'every batch to stop');
    const counts = newsletterCounts();
    const stats = (await get()).stats;
    expect(stats.sent).toBe(counts.size);
    expect(stats.sent).toBeLessThan(total);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);

  it('MAIL_RATE_PER_SECOND holds across workers: no second ever counts more than the rate', async () => {
    const config = Object.assign(new AppConfig(), platform.worker!.get(AppConfig), { MAIL_RATE_PER_SECOND: 15 });
    // Two limiters on two Redis connections: two worker processes as far as Redis can tell.
    const redisA = new Redis(config.REDIS_URL);
    const redisB = new Redis(config.REDIS_URL);
    try {
      const workers = [new SendRateLimiter(redisA, config), new SendRateLimiter(redisB, config)];
      const seconds: number[] = [];
      await Promise.all(
        workers.map(async (w) => {
          for (let i = 0; i < 20; i++) seconds.push((await w.acquire())!);
        }),
      );
      const perSecond = new Map<number, number>();
      for (const s of seconds) perSecond.set(s, (perSecond.get(s) ?? 0) + 1);
      expect(seconds).toHaveLength(40);
      expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(15);
      expect(perSecond.size).toBeGreaterThanOrEqual(3);
    } finally {
      redisA.disconnect();
      redisB.disconnect();
    }
  });
});
