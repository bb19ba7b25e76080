import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createManySubscribers, createList, mailingPayload } from './factories/mailing.factory';
import { createOrganizer } from './factories/organizer.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { TestRedis, waitUntil } from './support/processes';
import { SmtpSink } from './support/smtp-sink';

/**
 * The drill of issue 19, finding 9: Redis is shut down with SHUTDOWN NOSAVE (every queued
 * job is gone) while sign-ups are being confirmed and a newsletter is going out, and comes
 * back empty on the same port. What was committed must go out, each once, soon after it
 * returns: not when the reconcilers' 120 s staleness or the newsletter's 300 s stall
 * detection would pick it up. The deadlines are far from any speed claim, only short of
 * those periods.
 */
describe('Redis shut down and brought back during sign-ups and a newsletter', () => {
  it('sends every confirmation and finishes the newsletter well before the reconcilers would, each email once', async () => {
    const redis = await TestRedis.create();
    await redis.start();
    const sink = await new SmtpSink().start();
    // Each message is held a moment, so jobs are queued and in flight when Redis goes away.
    sink.delayMs = 100;
    let platform: Platform | undefined;
    try {
      platform = await startPlatform({
        SMTP_URL: sink.url,
        REDIS_URL: redis.url,
        MAIL_RATE_PER_SECOND: '0',
        MAILING_BATCH_SIZE: '25',
        MAILING_CONCURRENCY: '2',
        WORKER_CONCURRENCY: '4',
      });
      const http = () => request(platform!.api.getHttpServer());
      const organizer = (await createOrganizer(platform.api, 'organizer')).apiKey;
      const list = await createList(platform.db, 'Drill list');
      const tag = `drill-${randomUUID().slice(0, 8)}`;
      const readers = 200;
      await createManySubscribers(platform.db, list.id, readers, tag);
      const created = await http()
        .post('/api/v1/admin/mailings')
        .set('authorization', `Bearer ${organizer}`)
        .send(mailingPayload([list.slug]));
      expect(created.status).toBe(201);
      const mailingId = created.body.id as string;
      const newsletterCount = () => sink.messages.filter((m) => m.to.some((to) => to.startsWith(`${tag}-`))).length;
      const status = async () =>
        (await http().get(`/api/v1/admin/mailings/${mailingId}`).set('authorization', `Bearer ${organizer}`)).body as {
          status: string;
          stats: Record<string, number>;
        };

      expect((await http().post(`/api/v1/admin/mailings/${mailingId}/send`).set('authorization', `Bearer ${organizer}`)).status).toBe(200);
      await waitUntil(() => newsletterCount() >= 20, 30_000, 'the newsletter to be under way');

      const signUp = async (emails: string[]): Promise<void> => {
        for (let i = 0; i < emails.length; i += 25) {
          const answers = await Promise.all(
            emails.slice(i, i + 25).map((email) => http().post('/api/v1/signups').send(signupPayload({ email }))),
          );
          for (const res of answers) expect(res.status).toBe(202);
        }
      };
      const before = Array.from({ length: 150 }, () => uniqueEmail('drill-before'));
      const during = Array.from({ length: 50 }, () => uniqueEmail('drill-during'));
      await signUp(before);
      await redis.shutdownNoSave();
      await signUp(during);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(newsletterCount()).toBeLessThan(readers);

      await redis.start();
      const everyone = [...before, ...during];
      // The sign-ups are seconds old: the sign-up and mail reconcilers would take them only
      // once they are 120 s old (and then on a 30 s period).
      await waitUntil(() => everyone.every((email) => sink.to(email).length > 0), 90_000, 'every confirmation after Redis returned');
      // A newsletter whose jobs were lost used to wait for the 300 s stall detection.
      await waitUntil(async () => (await status()).status === 'sent', 150_000, 'the newsletter to finish after Redis returned');

      // Anything sent twice would show up by now.
      await new Promise((r) => setTimeout(r, 3_000));
      for (const email of everyone) expect(sink.to(email)).toHaveLength(1);
      for (let i = 1; i <= readers; i++) expect(sink.to(`${tag}-${i}@example.org`)).toHaveLength(1);
      const { stats } = await status();
      expect(stats).toMatchObject({ recipients: readers, sent: readers, failed: 0 });
    } finally {
      await platform?.close();
      await redis.stop();
      await sink.stop();
    }
  }, 300_000);
});
