import { getQueueToken } from '@nestjs/bullmq';
import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import request from 'supertest';
import { CONFIRMATIONS_QUEUE } from '../src/queues/confirmations.queue';
import { WorkerModule } from '../src/worker.module';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { SmtpSink } from './support/smtp-sink';

/**
 * A join confirmation is never queued behind a burst of petition confirmations: the
 * signature jobs carry a BullMQ priority and every other confirmation job none, so a free
 * slot takes a sign-up before any signature (asserted by order, not by timing).
 */
describe('confirmation priority (real PostgreSQL, Redis, SMTP)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let worker: INestApplicationContext | undefined;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    // One job at a time: the order the worker takes them in is the order the emails arrive in.
    platform = await startPlatform({ SMTP_URL: sink.url, WORKER_CONCURRENCY: '1' }, { worker: false });
  });
  afterAll(async () => {
    await worker?.close();
    await platform.close();
    await sink.stop();
  });

  it('mails a sign-up made after a burst of signatures before the burst', async () => {
    const { slug } = await createPetition(platform.api);
    const tag = uniqueEmail('burst').split('@')[0];
    const signers = Array.from({ length: 30 }, (_, i) => `${tag}-${i}@example.org`);
    for (const email of signers) {
      expect((await http().post(`/api/v1/petitions/${slug}/signatures`).send(signaturePayload({ email }))).status).toBe(202);
    }
    const joiner = uniqueEmail('joiner');
    expect(
      (
        await http()
          .post('/api/v1/signups')
          .send(signupPayload({ email: joiner }))
      ).status,
    ).toBe(202);

    // Every intent on the queue before a worker runs: the burst is waiting, the sign-up last.
    const waitingIntents = async (): Promise<number> =>
      Number((await platform.db.query(`SELECT count(*)::int AS n FROM outbox WHERE dispatched_at IS NULL`))[0].n);
    const deadline = Date.now() + 10_000;
    while ((await waitingIntents()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await waitingIntents()).toBe(0);
    const queue = platform.api.get<Queue>(getQueueToken(CONFIRMATIONS_QUEUE), { strict: false });
    const counts = await queue.getJobCounts('prioritized', 'waiting');
    expect(counts.prioritized).toBeGreaterThanOrEqual(signers.length);
    const joinJobs = (await queue.getJobs(['waiting'])).filter((j) => j.name === 'process-signup');
    expect(joinJobs.length).toBeGreaterThanOrEqual(1);

    const before = sink.messages.length;
    worker = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
    await worker.init();
    await sink.waitFor(signers[signers.length - 1], 1, 60_000);
    await sink.waitFor(joiner, 1, 10_000);
    const order = sink.messages.slice(before).map((m) => m.to[0]);
    const ours = order.filter((to) => to === joiner || signers.includes(to));
    // The sign-up, queued last, was the first of them mailed.
    expect(ours[0]).toBe(joiner);
    expect(ours).toHaveLength(signers.length + 1);
  }, 120_000);
});
