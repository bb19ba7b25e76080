import request from 'supertest';
import { createOrganizer } from './factories/organizer.factory';
import { createList, createManySubscribers, mailingPayload } from './factories/mailing.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';
import { describeIfBinaries } from './support/skip';
import { TestRedisCluster } from './support/redis-cluster';
import { SmtpSink } from './support/smtp-sink';

const PREFIX = '{cluster-test}';

describeIfBinaries(['redis-server', 'redis-cli'], 'apt-get install redis-server')(
  'on a real Redis Cluster (REDIS_CLUSTER_NODES, a hash-tagged QUEUE_PREFIX), through the failover of a primary',
  () => {
    let cluster: TestRedisCluster;
    let sink: SmtpSink;
    let platform: Platform;
    let key: string;
    const http = () => request(platform.api.getHttpServer());

    beforeAll(async () => {
      cluster = await TestRedisCluster.start();
      sink = await new SmtpSink().start();
      // REDIS_URL points at a port nobody listens on: everything must go through the cluster.
      platform = await startPlatform({
        REDIS_CLUSTER_NODES: cluster.nodesSetting,
        REDIS_URL: 'redis://127.0.0.1:1',
        QUEUE_PREFIX: PREFIX,
        SMTP_URL: sink.url,
        MAIL_RATE_PER_SECOND: '0',
        MAILING_BATCH_SIZE: '20',
      });
      key = (await createOrganizer(platform.api, 'organizer')).apiKey;
      await waitUntil(async () => (await http().get('/health/ready')).status === 200, 20_000, 'ready through the cluster');
    }, 120_000);
    afterAll(async () => {
      await platform?.close();
      await sink?.stop();
      await cluster?.stop();
    }, 60_000);

    const newsletter = async (count: number, whileSending?: () => Promise<void>): Promise<string[]> => {
      const tag = `cl-${Date.now()}`;
      const list = await createList(platform.db, `Cluster ${tag}`);
      await createManySubscribers(platform.db, list.id, count, tag);
      const id = (
        await http()
          .post('/api/v1/admin/mailings')
          .set('authorization', `Bearer ${key}`)
          .send(mailingPayload([list.slug]))
      ).body.id as string;
      expect((await http().post(`/api/v1/admin/mailings/${id}/send`).set('authorization', `Bearer ${key}`)).status).toBe(200);
      const addresses = Array.from({ length: count }, (_, i) => `${tag}-${i + 1}@example.org`);
      await whileSending?.();
      await waitUntil(() => addresses.every((a) => sink.to(a).length > 0), 90_000, 'every subscriber to get the newsletter');
      await waitUntil(
        async () => (await http().get(`/api/v1/admin/mailings/${id}`).set('authorization', `Bearer ${key}`)).body.status === 'sent',
        30_000,
        'the mailing to be sent',
      );
      return addresses;
    };

    it('sign-up → confirmation email, and a newsletter, each exactly once, with the queues in the cluster', async () => {
      const email = uniqueEmail('cluster');
      expect((await http().post('/api/v1/signups').send(signupPayload({ email }))).status).toBe(202);
      await sink.waitFor(email, 1, 30_000);

      const addresses = await newsletter(50);
      for (const a of addresses) expect(sink.to(a)).toHaveLength(1);

      // The queues' keys live on the primary of the prefix's slot, nowhere else.
      const primary = await cluster.primaryOf(PREFIX);
      expect(await cluster.cli(primary, 'keys', `${PREFIX}:confirmations:*`)).toContain(`${PREFIX}:confirmations:`);
      expect(await cluster.cli(primary, 'keys', `${PREFIX}:mailings:*`)).toContain(`${PREFIX}:mailings:`);
    }, 120_000);

    it('the primary holding the queues fails over: sign-ups made meanwhile all get their confirmation, a newsletter after it reaches everyone once', async () => {
      const before = Array.from({ length: 5 }, () => uniqueEmail('before-failover'));
      const during = Array.from({ length: 10 }, () => uniqueEmail('during-failover'));
      for (const email of before) expect((await http().post('/api/v1/signups').send(signupPayload({ email }))).status).toBe(202);

      const killed = cluster.failOver(PREFIX);
      // Sign-ups while the slot has no primary: committed in PostgreSQL, enqueued once the replica serves it.
      for (const email of during) expect((await http().post('/api/v1/signups').send(signupPayload({ email }))).status).toBe(202);
      const port = await killed;
      expect(await cluster.primaryOf(PREFIX)).not.toBe(port);

      for (const email of [...before, ...during]) await sink.waitFor(email, 1, 60_000);
      await new Promise((r) => setTimeout(r, 1_000));
      for (const email of [...before, ...during]) expect(sink.to(email)).toHaveLength(1);

      const addresses = await newsletter(40);
      for (const a of addresses) expect(sink.to(a)).toHaveLength(1);
      expect((await http().get('/health/ready')).status).toBe(200);
    }, 180_000);

    it('a newsletter going out while the primary holding its queue fails over still reaches everyone exactly once', async () => {
      sink.delayMs = 40;
      try {
        const addresses = await newsletter(120, async () => {
          const received = () => sink.messages.length;
          const start = received();
          await waitUntil(() => received() >= start + 20, 30_000, 'the newsletter to be under way');
          await cluster.failOver(PREFIX);
        });
        await new Promise((r) => setTimeout(r, 1_000));
        for (const a of addresses) expect(sink.to(a)).toHaveLength(1);
      } finally {
        sink.delayMs = 0;
      }
    }, 180_000);
  },
);
