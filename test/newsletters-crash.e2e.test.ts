import request from 'supertest';
import { IN_DOUBT_CHUNKS } from '../src/mailings/mailing-sender.service';
import { createOrganizer } from './factories/organizer.factory';
import { createList, createManySubscribers, mailingPayload } from './factories/mailing.factory';
import { Platform, startPlatform } from './support/platform';
import { runDist, waitUntil } from './support/processes';
import { SmtpSink } from './support/smtp-sink';

describe('newsletter worker killed mid-send (SIGKILL)', () => {
  let sink: SmtpSink;
  let platform: Platform;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    // API only: the mailing is sent by real worker processes below.
    platform = await startPlatform({ SMTP_URL: sink.url }, { worker: false });
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  it('a second worker finishes the mailing: nobody gets two, only the messages in doubt (at most 2 × MAILING_CONCURRENCY) may be missing, and the stats say so', async () => {
    const total = 120;
    const tag = `crash-${Date.now()}`;
    const list = await createList(platform.db, 'Crash test');
    await createManySubscribers(platform.db, list.id, total, tag);
    const addresses = Array.from({ length: total }, (_, i) => `${tag}-${i + 1}@example.org`);
    const received = () => addresses.filter((a) => sink.to(a).length > 0).length;

    const key = (await createOrganizer(platform.api, 'organizer')).apiKey;
    const http = () => request(platform.api.getHttpServer());
    const created = await http()
      .post('/api/v1/admin/mailings')
      .set('authorization', `Bearer ${key}`)
      .send(mailingPayload([list.slug]));
    const id = created.body.id as string;
    const workerEnv = { SMTP_URL: sink.url, MAIL_RATE_PER_SECOND: '0', MAILING_BATCH_SIZE: '25', MAILING_CONCURRENCY: '2' };

    sink.delayMs = 20;
    const first = runDist('worker.js', workerEnv);
    let second: ReturnType<typeof runDist> | undefined;
    try {
      expect((await http().post(`/api/v1/admin/mailings/${id}/send`).set('authorization', `Bearer ${key}`)).status).toBe(200);
      await waitUntil(() => received() >= 30, 30_000, 'the first part of the mailing');

      // Hold the next messages inside the SMTP transaction, then kill the worker there:
      // the worst moment, with messages handed over and not yet recorded as sent.
      sink.delayMs = 3_000;
      let held = false;
      sink.onData = () => (held = true);
      await waitUntil(() => held, 10_000, 'a message held in flight');
      await new Promise((r) => setTimeout(r, 200));
      first.child.kill('SIGKILL');
      await first.exited;
      sink.onData = undefined;
      sink.delayMs = 0;
      const atKill = received();
      expect(atKill).toBeLessThan(total);
      // The dead worker's messages in doubt: claimed and never recorded, whether inside their
      // SMTP transaction or waiting for a connection. Taken now, before the second worker
      // claims messages of its own (those are in flight, not in doubt).
      const inDoubtRows = await platform.db.query<Array<{ id: string; email: string }>>(
        `SELECT d.id, p.email_normalized AS email FROM mailing_deliveries d JOIN people p ON p.id = d.person_id
         WHERE d.mailing_id = $1 AND d.status = 'sending'`,
        [id],
      );
      const inDoubtIds = inDoubtRows.map((r) => r.id);
      expect(inDoubtIds.length).toBeGreaterThanOrEqual(1);
      // The window: one chunk of MAILING_CONCURRENCY (2) on the connections, one claimed ahead.
      expect(inDoubtIds.length).toBeLessThanOrEqual(IN_DOUBT_CHUNKS * 2);

      second = runDist('worker.js', workerEnv);
      await waitUntil(
        async () =>
          Number(
            (
              await platform.db.query(
                `SELECT count(*)::int AS n FROM mailing_deliveries
                 WHERE mailing_id = $1 AND (status = 'pending' OR (status = 'sending' AND NOT id = ANY($2::uuid[])))`,
                [id, inDoubtIds],
              )
            )[0].n,
          ) === 0,
        60_000,
        'every delivery but those in doubt to be settled by the second worker',
      );
      // Deliveries the dead worker left in doubt are settled once their lock is older than
      // any live send could take; age them instead of waiting a minute.
      const inDoubt = Number(
        (
          await platform.db.query(
            `UPDATE mailing_deliveries SET locked_at = locked_at - interval '10 minutes' WHERE mailing_id = $1 AND status = 'sending'`,
            [id],
          )
        )[1],
      );
      expect(inDoubt).toBe(inDoubtIds.length);
      await waitUntil(
        async () => (await http().get(`/api/v1/admin/mailings/${id}`).set('authorization', `Bearer ${key}`)).body.status === 'sent',
        60_000,
        'the mailing to be sent',
      );
      // Everyone but the messages in doubt got theirs; those held inside their SMTP transaction
      // were accepted by the sink after the kill, those still waiting for a connection never
      // left, and none of them is sent again.
      const inDoubtAddresses = new Set(inDoubtRows.map((r) => r.email));
      await waitUntil(
        () => addresses.every((a) => inDoubtAddresses.has(a) || sink.to(a).length === 1),
        10_000,
        'every subscriber not in doubt to have received the newsletter',
      );
      await new Promise((r) => setTimeout(r, 3_500));
      for (const address of addresses) expect(sink.to(address).length).toBeLessThanOrEqual(1);
      for (const address of addresses.filter((a) => sink.to(a).length === 0)) expect(inDoubtAddresses.has(address)).toBe(true);
      const stats = (await http().get(`/api/v1/admin/mailings/${id}`).set('authorization', `Bearer ${key}`)).body.stats;
      expect(stats).toEqual(
        expect.objectContaining({ recipients: total, sent: total, failed: 0, skipped: 0, pending: 0, uncertain: inDoubt }),
      );
    } finally {
      first.child.kill('SIGKILL');
      sink.onData = undefined;
      sink.delayMs = 0;
      if (second) {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    }
  }, 150_000);
});
