import request from 'supertest';
import { createOrganizer } from './factories/organizer.factory';
import { createPerson } from './factories/person.factory';
import { Platform, startPlatform } from './support/platform';
import { runDist, TestRedis, waitUntil } from './support/processes';
import { WebhookReceiver } from './support/webhook-receiver';

const WEBHOOK_ENV = { WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_RETRY_SCHEDULE: '1,1,1,1,1' };

async function createWebhook(platform: Platform, apiKey: string, receiver: WebhookReceiver, events: string[]): Promise<string> {
  const res = await request(platform.api.getHttpServer())
    .post('/api/v1/admin/webhooks')
    .set('authorization', `Bearer ${apiKey}`)
    .send({ url: receiver.url, events });
  expect(res.status).toBe(201);
  receiver.trust(res.body.secret as string);
  return res.body.id as string;
}

/** A test's webhook goes with it, so a later test's events do not fail at its stopped receiver. */
async function dropWebhooks(platform: Platform): Promise<void> {
  await platform.db.query(`DELETE FROM webhooks`);
}

async function deliveriesOf(
  platform: Platform,
  webhookId: string,
): Promise<Array<{ status: string; attempts: Array<{ responseStatus: number | null }> }>> {
  return platform.db.query(`SELECT status, attempts FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at`, [webhookId]);
}

describe('webhooks under faults', () => {
  it('a worker killed (SIGKILL) mid-delivery: another worker delivers it, same webhook-id, seen once after de-duplication', async () => {
    const platform = await startPlatform(WEBHOOK_ENV, { worker: false });
    const receiver = await new WebhookReceiver().start();
    const workers = [runDist('worker.js', WEBHOOK_ENV)];
    try {
      const admin = await createOrganizer(platform.api, 'admin');
      const webhookId = await createWebhook(platform, admin.apiKey, receiver, ['person.erased']);
      // The first request is held open until the worker dies; then two refusals; then accepted.
      receiver.answer = ({ n }) => (n === 0 ? 'hang' : n < 3 ? 500 : 204);
      receiver.onRequest = (r) => {
        if (receiver.requests.length === 1) {
          expect(r.verified).toBe(true);
          workers[0].child.kill('SIGKILL');
        }
      };
      const person = await createPerson(platform.db, {});
      const erased = await request(platform.api.getHttpServer())
        .delete(`/api/v1/admin/people/${person.id}`)
        .set('authorization', `Bearer ${admin.apiKey}`);
      expect(erased.status).toBe(204);

      await waitUntil(() => receiver.requests.length >= 1, 20_000, 'the first attempt to reach the receiver');
      await workers[0].exited;
      workers.push(runDist('worker.js', WEBHOOK_ENV));
      // The dead worker's lease (20 s) runs out, the sweeper re-drives, the retries run.
      await waitUntil(() => receiver.events().length === 1, 60_000, 'the delivery after the crash').catch(async (err: Error) => {
        throw new Error(
          `${err.message}; deliveries ${JSON.stringify(await platform.db.query(`SELECT * FROM webhook_deliveries WHERE webhook_id = $1`, [webhookId]))}; requests ${JSON.stringify(receiver.requests.map((r) => r.answered))}; worker: ${workers[1].output().slice(-3000)}`,
        );
      });
      await new Promise((r) => setTimeout(r, 3_000));

      expect(receiver.requests.every((r) => r.verified)).toBe(true);
      expect(new Set(receiver.requests.map((r) => r.id)).size).toBe(1);
      expect(receiver.requests.map((r) => r.answered)).toEqual([null, 500, 500, 204]);
      expect(receiver.events().map((e) => e.payload)).toEqual([
        { type: 'person.erased', timestamp: expect.any(String), data: { personId: person.id } },
      ]);
      const [delivery] = await deliveriesOf(platform, webhookId);
      // The killed attempt left no outcome (it never knew one); the three after it did.
      expect(delivery).toEqual({
        status: 'delivered',
        attempts: [500, 500, 204].map((s) => ({ at: expect.any(String), responseStatus: s })),
      });
    } finally {
      for (const w of workers) {
        w.child.kill('SIGTERM');
        await w.exited;
      }
      await dropWebhooks(platform);
      await receiver.stop();
      await platform.close();
    }
  }, 120_000);

  it('an event committed while Redis is down is delivered once Redis is back', async () => {
    const redis = await TestRedis.create();
    await redis.start();
    const receiver = await new WebhookReceiver().start();
    let platform: Platform | undefined;
    try {
      platform = await startPlatform({ ...WEBHOOK_ENV, REDIS_URL: redis.url });
      const admin = await createOrganizer(platform.api, 'admin');
      const webhookId = await createWebhook(platform, admin.apiKey, receiver, ['person.erased']);
      const person = await createPerson(platform.db, {});

      await redis.stop();
      const erased = await request(platform.api.getHttpServer())
        .delete(`/api/v1/admin/people/${person.id}`)
        .set('authorization', `Bearer ${admin.apiKey}`);
      expect(erased.status).toBe(204);
      // The change is published to a delivery row from PostgreSQL alone; nothing is sent yet.
      await waitUntil(async () => (await deliveriesOf(platform!, webhookId)).length === 1, 10_000, 'the delivery row');
      await new Promise((r) => setTimeout(r, 2_500));
      expect(receiver.requests).toHaveLength(0);
      expect(await deliveriesOf(platform, webhookId)).toEqual([{ status: 'pending', attempts: [] }]);

      await redis.start();
      await waitUntil(() => receiver.events().length === 1, 30_000, 'the delivery after Redis returned');
      await new Promise((r) => setTimeout(r, 3_000));
      expect(receiver.requests).toHaveLength(1);
      expect(receiver.events()[0].verified).toBe(true);
      expect(receiver.events()[0].payload.data).toEqual({ personId: person.id });
      expect(await deliveriesOf(platform, webhookId)).toEqual([
        { status: 'delivered', attempts: [{ at: expect.any(String), responseStatus: 204 }] },
      ]);
    } finally {
      if (platform) await dropWebhooks(platform);
      await platform?.close();
      await redis.stop();
      await receiver.stop();
    }
  }, 90_000);
});
