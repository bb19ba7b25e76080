import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import request from 'supertest';
import { ActionWorker } from '../src/actions/action-worker.service';
import { ActionsReconciler } from '../src/actions/actions-reconciler.task';
import { MailReconciler } from '../src/mail/mail-reconciler.service';
import { OutcomeRecorder } from '../src/mail/outcome-recorder.service';
import { WorkerModule } from '../src/worker.module';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { runDist, RunningProcess, waitUntil } from './support/processes';
import { actionLink, SmtpSink } from './support/smtp-sink';
import { TcpProxy } from './support/tcp-proxy';

/** Longer than the old ~7 s retry of the "sent" write, which is what the attack outlasted. */
const OUTAGE_MS = 12_000;

/**
 * The drill of issue 19, finding 1: PostgreSQL becomes unreachable (a TCP proxy of the test's
 * own, cut) while the SMTP server is receiving a confirmation, so the worker has sent it and
 * cannot write "sent". The SMTP sink counts the copies: exactly one, whatever the worker,
 * the reconcilers and a job run again do afterwards. They are driven explicitly, with the rows
 * aged past the 600 s after which a lock counts as abandoned.
 */
describe('PostgreSQL unreachable between SMTP and the "sent" write', () => {
  const databaseUrl = process.env.DATABASE_URL as string;
  let sink: SmtpSink;
  let proxy: TcpProxy;
  let db: Client;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    proxy = await new TcpProxy().start();
    db = new Client({ connectionString: databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await proxy.stop();
    await sink.stop();
  });
  afterEach(() => {
    sink.onData = undefined;
  });

  /** The moment the SMTP server starts receiving the message to `email`, PostgreSQL goes away. */
  const cutWhenReceiving = (email: string): void => {
    sink.onData = (to) => {
      if (to.includes(email)) void proxy.cut();
    };
  };
  const messageOf = async (email: string) =>
    (
      await db.query<{ id: string; status: string; uncertain: boolean; provider_message_id: string | null }>(
        `SELECT m.id, m.status, m.uncertain, m.provider_message_id FROM email_messages m JOIN people p ON p.id = m.person_id
         WHERE p.email_normalized = $1 ORDER BY m.created_at`,
        [email],
      )
    ).rows;
  /** As if ten minutes and more had passed: every lock and record of the address counts as abandoned or stale. */
  const age = async (email: string): Promise<void> => {
    await db.query(
      `UPDATE email_messages SET created_at = created_at - interval '11 minutes', locked_at = locked_at - interval '11 minutes'
       WHERE person_id = (SELECT id FROM people WHERE email_normalized = $1)`,
      [email],
    );
    await db.query(`UPDATE signups SET created_at = created_at - interval '11 minutes' WHERE email_normalized = $1`, [email]);
  };
  /** Everything that could send the message again, twice over: the reconcilers' passes and the sign-up's job run again. */
  const reconcile = async (worker: INestApplicationContext, email: string): Promise<void> => {
    const signups = (await db.query<{ id: string }>(`SELECT id FROM signups WHERE email_normalized = $1`, [email])).rows;
    for (let i = 0; i < 2; i++) {
      await worker.get(MailReconciler).runOnce(0);
      await worker.get(ActionsReconciler).runOnce(0);
      for (const { id } of signups) await worker.get(ActionWorker).process('join', id);
    }
  };

  it('a worker that stays up writes "sent" once PostgreSQL is back, and nothing is ever sent again', async () => {
    let platform: Platform | undefined;
    try {
      // API and worker both reach PostgreSQL through the proxy only.
      platform = await startPlatform({ SMTP_URL: sink.url, DATABASE_URL: proxy.urlFor(databaseUrl) });
      const email = uniqueEmail('outage');
      cutWhenReceiving(email);
      const res = await request(platform.api.getHttpServer()).post('/api/v1/signups').send(signupPayload({ email }));
      expect(res.status).toBe(202);
      const [mail] = await sink.waitFor(email, 1, 20_000);
      expect(proxy.up).toBe(false);

      await new Promise((r) => setTimeout(r, OUTAGE_MS));
      // The worker still knows it sent the message, and holds that until it can write it. (It
      // may hold others too: a worker starting re-drives what earlier test files left pending.)
      const recorder = platform.worker!.get(OutcomeRecorder);
      const [held] = await messageOf(email);
      expect(held.status).toBe('sending');
      expect(recorder.holds(held.id)).toBe(true);
      await proxy.restore();

      await waitUntil(async () => (await messageOf(email))[0]?.status === 'sent', 30_000, 'the parked outcome to be written');
      expect(recorder.holds(held.id)).toBe(false);
      const [message] = await messageOf(email);
      // Exactly what happened: sent, not assumed, with the Message-ID the SMTP server received.
      expect(message).toMatchObject({ status: 'sent', uncertain: false, provider_message_id: mail.parsed.messageId });

      await age(email);
      await reconcile(platform.worker!, email);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(sink.to(email)).toHaveLength(1);
    } finally {
      await proxy.restore();
      await platform?.close();
    }
  }, 90_000);

  describe('a worker stopped while it waits', () => {
    let platform: Platform;
    let worker: RunningProcess | undefined;
    let rescuer: INestApplicationContext | undefined;

    beforeAll(async () => {
      // The API on PostgreSQL directly; the jobs are consumed by a built worker behind the proxy.
      platform = await startPlatform({ SMTP_URL: sink.url }, { worker: false });
    });
    afterAll(async () => {
      await platform.close();
    });
    afterEach(async () => {
      worker?.child.kill('SIGKILL');
      await worker?.exited;
      worker = undefined;
      await rescuer?.close();
      rescuer = undefined;
      await proxy.restore();
    });

    /** A worker process behind the proxy, a confirmation it sent, and PostgreSQL gone before it could say so. */
    const sentWhileAway = async (email: string): Promise<RunningProcess> => {
      const started = runDist('worker.js', { SMTP_URL: sink.url, DATABASE_URL: proxy.urlFor(databaseUrl), LOG_LEVEL: 'error' });
      worker = started;
      await waitUntil(() => started.output().includes('consuming queues'), 30_000, 'the worker to start');
      cutWhenReceiving(email);
      const res = await request(platform.api.getHttpServer()).post('/api/v1/signups').send(signupPayload({ email }));
      expect(res.status).toBe(202);
      await sink.waitFor(email, 1, 20_000);
      await waitUntil(() => started.output().includes('recording it waits for PostgreSQL'), 20_000, 'the worker to park the outcome');
      return started;
    };

    /** A fresh worker on PostgreSQL directly, as after a restart; its passes are driven below. */
    const startRescuer = async (): Promise<INestApplicationContext> => {
      rescuer = await NestFactory.createApplicationContext(WorkerModule, { logger: false });
      await rescuer.init();
      return rescuer;
    };

    it('killed: the message stays locked, is settled as sent (uncertain) and never sent again; asking again sends a new link', async () => {
      const email = uniqueEmail('killed');
      const killed = await sentWhileAway(email);
      killed.child.kill('SIGKILL');
      await killed.exited;
      await proxy.restore();

      const next = await startRescuer();
      await reconcile(next, email);
      // Ten minutes have not passed: the lock is left alone, and nothing is sent.
      expect((await messageOf(email))[0]).toMatchObject({ status: 'sending', uncertain: false });

      await age(email);
      await reconcile(next, email);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(sink.to(email)).toHaveLength(1);
      expect((await messageOf(email))[0]).toMatchObject({ status: 'sent', uncertain: true });

      // Had that email truly been lost, the supporter asks again: a new request, a new link.
      const again = await request(platform.api.getHttpServer()).post('/api/v1/signups').send(signupPayload({ email }));
      expect(again.status).toBe(202);
      const [first, second] = await sink.waitFor(email, 2, 20_000);
      expect(actionLink(second)).not.toBe(actionLink(first));
      await new Promise((r) => setTimeout(r, 1_000));
      expect(sink.to(email)).toHaveLength(2);
    }, 120_000);

    it('SIGTERM: the worker tries a few seconds more, says what it could not write, exits; nothing is sent again', async () => {
      const email = uniqueEmail('stopped');
      const stopping = await sentWhileAway(email);
      stopping.child.kill('SIGTERM');
      const { code } = await stopping.exited;
      expect(code).toBe(0);
      expect(stopping.output()).toContain("stopping with 1 send outcome(s) unwritten (PostgreSQL away); those messages stay 'sending'");
      await proxy.restore();

      const next = await startRescuer();
      await age(email);
      await reconcile(next, email);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(sink.to(email)).toHaveLength(1);
      expect((await messageOf(email))[0]).toMatchObject({ status: 'sent', uncertain: true });
    }, 120_000);
  });
});
