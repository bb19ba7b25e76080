import request from 'supertest';
import { createOrganizer } from './factories/organizer.factory';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { createList as createMailingList, createSubscriber } from './factories/mailing.factory';
import { createPerson } from './factories/person.factory';
import { uniqueEmail } from './factories/signup.factory';
import { ListLinkTokens } from '../src/mailings/list-link-tokens.service';
import { WebhookSecrets } from '../src/webhooks/webhook-secrets';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';
import { actionLink, SmtpSink } from './support/smtp-sink';
import { WebhookReceiver } from './support/webhook-receiver';

// Short retries through the documented, validated setting (the default is 5, 20, 60 s, then a day).
const SCHEDULE = '1,1,1,1';

describe('signed outbound webhooks', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let admin: { id: string; email: string; apiKey: string };
  let organizer: { apiKey: string };
  const http = () => request(platform.api.getHttpServer());
  const as = (key: string) => ({
    post: (path: string, body?: object) => http().post(path).set('authorization', `Bearer ${key}`).send(body),
    get: (path: string) => http().get(path).set('authorization', `Bearer ${key}`),
    delete: (path: string) => http().delete(path).set('authorization', `Bearer ${key}`),
  });

  // Each test's webhooks go with it: a receiver stopped while its webhook lives would fail
  // later tests' events and get that webhook disabled (and its admins emailed) meanwhile.
  const created: string[] = [];
  afterEach(async () => {
    for (const id of created.splice(0)) await as(admin.apiKey).delete(`/api/v1/admin/webhooks/${id}`);
  });

  async function createWebhook(receiver: WebhookReceiver, body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
    const res = await as(admin.apiKey).post('/api/v1/admin/webhooks', { url: receiver.url, ...body });
    expect(res.status).toBe(201);
    created.push(res.body.id as string);
    receiver.trust(res.body.secret as string);
    return res.body as { id: string; secret: string };
  }

  async function signAndConfirm(slug: string): Promise<string> {
    const payload = signaturePayload();
    const email = payload.email as string;
    expect((await http().post(`/api/v1/petitions/${slug}/signatures`).send(payload)).status).toBe(202);
    const [mail] = await sink.waitFor(email, 1);
    expect(
      (
        await http()
          .post(new URL(actionLink(mail)).pathname)
          .type('form')
          .send('')
      ).status,
    ).toBe(200);
    const [{ id }] = await platform.db.query(`SELECT id FROM people WHERE email_normalized = $1`, [email]);
    return id as string;
  }

  async function deliveries(
    webhookId: string,
  ): Promise<Array<{ id: string; type: string; status: string; attempts: Array<{ at: string; responseStatus: number | null }> }>> {
    const res = await as(admin.apiKey).get(`/api/v1/admin/webhooks/${webhookId}/deliveries`);
    expect(res.status).toBe(200);
    return res.body.items;
  }

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url, WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_RETRY_SCHEDULE: SCHEDULE });
    admin = await createOrganizer(platform.api, 'admin');
    organizer = await createOrganizer(platform.api, 'organizer');
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  it('creates a webhook for admins only, shows the whsec_ secret once, and validates its body', async () => {
    const receiver = await new WebhookReceiver().start();
    try {
      const created = await as(admin.apiKey).post('/api/v1/admin/webhooks', { url: receiver.url, events: ['person.confirmed'] });
      expect(created.status).toBe(201);
      expect(created.body).toEqual(
        expect.objectContaining({ id: expect.any(String), secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/=]{40,}$/), status: 'active' }),
      );
      const [row] = await platform.db.query(`SELECT secret_encrypted FROM webhooks WHERE id = $1`, [created.body.id]);
      expect(row.secret_encrypted).not.toContain(created.body.secret.slice(6));

      const one = await as(organizer.apiKey).get(`/api/v1/admin/webhooks/${created.body.id}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(expect.objectContaining({ url: receiver.url, events: ['person.confirmed'], includePersonalData: false }));
      expect(JSON.stringify(one.body)).not.toContain('whsec_');
      const list = await as(organizer.apiKey).get('/api/v1/admin/webhooks');
      expect(JSON.stringify(list.body)).not.toContain('whsec_');

      expect((await as(organizer.apiKey).post('/api/v1/admin/webhooks', { url: receiver.url, events: ['person.confirmed'] })).status).toBe(
        403,
      );
      expect((await http().get('/api/v1/admin/webhooks')).status).toBe(401);
      for (const bad of [
        { url: receiver.url, events: [] },
        { url: receiver.url, events: ['person.deleted'] },
        { url: receiver.url, events: ['person.confirmed'], extra: 1 },
        { url: 'ftp://example.org/x', events: ['person.confirmed'] },
        { url: 'http://user:pw@127.0.0.1/x', events: ['person.confirmed'] },
        { url: 'not a url', events: ['person.confirmed'] },
      ]) {
        const res = await as(admin.apiKey).post('/api/v1/admin/webhooks', bad);
        expect(res.status).toBe(400);
        expect(res.body.statusCode).toBe(400);
      }
      expect((await as(organizer.apiKey).delete(`/api/v1/admin/webhooks/${created.body.id}`)).status).toBe(403);
      expect((await as(admin.apiKey).delete(`/api/v1/admin/webhooks/${created.body.id}`)).status).toBe(204);
      expect((await as(admin.apiKey).get(`/api/v1/admin/webhooks/${created.body.id}`)).status).toBe(404);
    } finally {
      await receiver.stop();
    }
  });

  it('delivers each event once (by webhook-id), signed, retrying a receiver that fails the first three tries, in commit order per person', async () => {
    const receiver = await new WebhookReceiver().start();
    receiver.answer = ({ n }) => (n < 3 ? 500 : 204);
    try {
      const webhook = await createWebhook(receiver, { events: ['person.confirmed', 'signature.confirmed'] });
      const petition = await createPetition(platform.api);
      const personId = await signAndConfirm(petition.slug);

      await waitUntil(() => receiver.events().length === 2, 30_000, 'both events delivered');
      // Every request carried a valid signature (the receiver refuses others with 401).
      expect(receiver.requests.every((r) => r.verified)).toBe(true);
      const [first, second] = receiver.events();
      // person.confirmed was recorded first in the link's transaction; signature.confirmed waited for it.
      expect(first.payload).toEqual({ type: 'person.confirmed', timestamp: expect.any(String), data: { personId } });
      expect(second.payload).toEqual({
        type: 'signature.confirmed',
        timestamp: expect.any(String),
        data: { personId, petitionId: petition.id, signatureId: expect.any(String) },
      });
      const firstTries = receiver.requests.filter((r) => r.id === first.id);
      expect(firstTries.map((r) => r.answered)).toEqual([500, 500, 500, 204]);
      // The same webhook-id on every retry; the signed timestamp is each attempt's own.
      expect(new Set(firstTries.map((r) => r.timestamp)).size).toBeGreaterThan(1);
      expect(receiver.requests.findIndex((r) => r.id === second.id)).toBeGreaterThan(receiver.requests.lastIndexOf(firstTries[3]));

      const listed = await deliveries(webhook.id);
      const byId = new Map(listed.map((d) => [d.id, d]));
      expect(byId.get(first.id)).toEqual(
        expect.objectContaining({
          type: 'person.confirmed',
          status: 'delivered',
          attempts: [500, 500, 500, 204].map((s) => ({ at: expect.any(String), responseStatus: s })),
        }),
      );
      expect(byId.get(second.id)).toEqual(
        expect.objectContaining({ status: 'delivered', attempts: [{ at: expect.any(String), responseStatus: 204 }] }),
      );
      // Nothing more arrives later.
      await new Promise((r) => setTimeout(r, 2_500));
      expect(receiver.events()).toHaveLength(2);
      expect(receiver.requests).toHaveLength(5);
    } finally {
      await receiver.stop();
    }
  }, 45_000);

  it('payloads carry ids only, unless an admin asked for personal data; erasure and unsubscribes are events too', async () => {
    const plain = await new WebhookReceiver().start();
    const personal = await new WebhookReceiver().start();
    try {
      await createWebhook(plain, { events: ['person.confirmed', 'person.erased'] });
      await createWebhook(personal, { events: ['person.confirmed'], includePersonalData: true });
      const petition = await createPetition(platform.api);
      const personId = await signAndConfirm(petition.slug);
      await waitUntil(() => plain.events().length === 1 && personal.events().length === 1, 20_000, 'person.confirmed at both');
      expect(plain.events()[0].payload.data).toEqual({ personId });
      const [{ email }] = await platform.db.query(`SELECT email FROM people WHERE id = $1`, [personId]);
      expect(personal.events()[0].payload.data).toEqual({
        personId,
        person: expect.objectContaining({ email, givenName: 'Sam', familyName: 'Rivera', country: 'FR' }),
      });
      expect(JSON.stringify(plain.requests.map((r) => r.payload))).not.toContain(email);

      expect((await as(admin.apiKey).delete(`/api/v1/admin/people/${personId}`)).status).toBe(204);
      await waitUntil(() => plain.events().length === 2, 20_000, 'person.erased');
      expect(plain.events()[1].payload).toEqual({ type: 'person.erased', timestamp: expect.any(String), data: { personId } });
    } finally {
      await plain.stop();
      await personal.stop();
    }
  }, 30_000);

  it('sends webhook.test on demand, and disables a webhook whose deliveries keep failing, emailing the admins once', async () => {
    const receiver = await new WebhookReceiver().start();
    receiver.answer = () => 503;
    try {
      const webhook = await createWebhook(receiver, { events: ['person.confirmed'] });
      const test = await as(admin.apiKey).post(`/api/v1/admin/webhooks/${webhook.id}/test`);
      expect(test.status).toBe(202);
      expect(test.body).toEqual(expect.objectContaining({ id: expect.any(String), type: 'webhook.test', status: 'pending', attempts: [] }));
      // One try and four retries (the schedule's four waits), then failed: the webhook is disabled.
      await waitUntil(async () => (await deliveries(webhook.id))[0].status === 'failed', 30_000, 'the delivery to fail');
      const [failed] = await deliveries(webhook.id);
      expect(failed.attempts.map((a) => a.responseStatus)).toEqual([503, 503, 503, 503, 503]);
      expect(receiver.requests.every((r) => r.verified && r.type === 'webhook.test' && r.id === test.body.id)).toBe(true);
      expect((await as(admin.apiKey).get(`/api/v1/admin/webhooks/${webhook.id}`)).body.status).toBe('disabled');
      // Every admin is told (other tests' admins too, and this admin of other tests' webhooks): this webhook's email, once.
      const about = () => sink.to(admin.email).filter((m) => (m.parsed.text ?? '').includes(webhook.id));
      await waitUntil(() => about().length === 1, 20_000, 'the email about the disabled webhook');
      expect(about()[0].parsed.subject).toBe('A webhook was disabled');

      // Disabled: a new event is not delivered, and a test is refused.
      const tries = receiver.requests.length;
      await createPerson(platform.db, {});
      expect((await as(admin.apiKey).post(`/api/v1/admin/webhooks/${webhook.id}/test`)).status).toBe(409);
      await new Promise((r) => setTimeout(r, 2_000));
      expect(receiver.requests).toHaveLength(tries);
      expect(about()).toHaveLength(1);
    } finally {
      await receiver.stop();
    }
  }, 45_000);

  it('tells RSVPs going, waitlisted, promoted and cancelled, unsubscribes and a mailing sent, each with its ids', async () => {
    const receiver = await new WebhookReceiver().start();
    try {
      await createWebhook(receiver, { events: ['rsvp.going', 'rsvp.waitlisted', 'rsvp.cancelled', 'person.unsubscribed', 'mailing.sent'] });
      const ev = await as(admin.apiKey).post('/api/v1/admin/events', eventPayload({ capacity: 1, waitlist: true }));
      expect(ev.status).toBe(201);
      const rsvpAndConfirm = async (email: string): Promise<string> => {
        expect(
          (
            await http()
              .post(`/api/v1/events/${ev.body.slug}/rsvps`)
              .send(rsvpPayload({ email, subscribe: true }))
          ).status,
        ).toBe(202);
        const [mail] = await sink.waitFor(email, 1);
        expect(
          (
            await http()
              .post(new URL(actionLink(mail)).pathname)
              .type('form')
              .send('')
          ).status,
        ).toBe(200);
        const [{ id }] = await platform.db.query(`SELECT id FROM people WHERE email_normalized = $1`, [email]);
        return id as string;
      };
      const a = await rsvpAndConfirm(uniqueEmail('going'));
      const b = await rsvpAndConfirm(uniqueEmail('waiting'));
      const [rsvpA] = await platform.db.query(`SELECT id FROM rsvps WHERE person_id = $1`, [a]);
      const [rsvpB] = await platform.db.query(`SELECT id FROM rsvps WHERE person_id = $1`, [b]);
      const [{ email: emailA }] = await platform.db.query(`SELECT email FROM people WHERE id = $1`, [a]);
      const [, going] = await sink.waitFor(emailA, 2);
      expect(
        (
          await http()
            .post(new URL(actionLink(going)).pathname)
            .type('form')
            .send('')
        ).status,
      ).toBe(200);

      // A leaves the default list by the newsletter footer's one-click link.
      const [list] = await platform.db.query(`SELECT list_id AS id FROM subscriptions WHERE person_id = $1 AND status = 'subscribed'`, [a]);
      const token = platform.api.get(ListLinkTokens).unsubscribeToken(a, list.id);
      expect((await http().post(`/u/${token}`).type('form').send('')).status).toBe(200);

      // A newsletter to a list of one.
      const newsletterList = await createMailingList(platform.db);
      await createSubscriber(platform.db, { lists: [{ id: newsletterList.id }] });
      const mailing = await as(admin.apiKey).post('/api/v1/admin/mailings', {
        name: 'Webhook test',
        audience: { lists: [newsletterList.slug] },
        content: { en: { subject: 'Hello', html: '<p>Hello</p>' } },
        defaultLanguage: 'en',
      });
      expect(mailing.status).toBe(201);
      expect((await as(admin.apiKey).post(`/api/v1/admin/mailings/${mailing.body.id}/send`)).status).toBeLessThan(300);

      const expected = [
        { type: 'rsvp.going', data: { personId: a, eventId: ev.body.id, rsvpId: rsvpA.id } },
        { type: 'rsvp.waitlisted', data: { personId: b, eventId: ev.body.id, rsvpId: rsvpB.id } },
        { type: 'rsvp.cancelled', data: { personId: a, eventId: ev.body.id, rsvpId: rsvpA.id } },
        { type: 'rsvp.going', data: { personId: b, eventId: ev.body.id, rsvpId: rsvpB.id } },
        { type: 'person.unsubscribed', data: { personId: a, listId: list.id } },
        { type: 'mailing.sent', data: { mailingId: mailing.body.id } },
      ];
      await waitUntil(() => receiver.events().length >= expected.length, 30_000, 'every event');
      await new Promise((r) => setTimeout(r, 1_500));
      const got = receiver.events().map((e) => ({ type: e.payload.type, data: e.payload.data }));
      expect(got).toHaveLength(expected.length);
      expect(got).toEqual(expect.arrayContaining(expected));
      // Per person, in commit order: A's going, cancelled, unsubscribed; B's waitlisted, then going.
      const order = (personId: string) => got.filter((e) => e.data.personId === personId).map((e) => e.type);
      expect(order(a)).toEqual(['rsvp.going', 'rsvp.cancelled', 'person.unsubscribed']);
      expect(order(b)).toEqual(['rsvp.waitlisted', 'rsvp.going']);
    } finally {
      await receiver.stop();
    }
  }, 45_000);

  it('documents the routes and the payloads in OpenAPI', async () => {
    const res = await http().get('/docs-json');
    expect(res.status).toBe(200);
    const doc = res.body;
    for (const schema of [
      'WebhookPayload',
      'WebhookEventData',
      'WebhookPersonData',
      'CreatedWebhookResponse',
      'DeliveryPage',
      'PersonTombstone',
    ]) {
      expect(doc.components.schemas[schema]).toBeDefined();
    }
    const paths = [
      '/api/v1/admin/webhooks',
      '/api/v1/admin/webhooks/{id}',
      '/api/v1/admin/webhooks/{id}/test',
      '/api/v1/admin/webhooks/{id}/deliveries',
    ];
    for (const path of paths) {
      for (const operation of Object.values(doc.paths[path] as Record<string, { summary?: string }>))
        expect(operation.summary).toBeTruthy();
    }
    expect(doc.paths['/api/v1/admin/people'].get.summary).toBeTruthy();
    expect(doc.paths['/api/v1/admin/people'].get.parameters.map((p: { name: string }) => p.name)).toContain('modifiedSince');
  });
});

describe('webhook destinations without WEBHOOK_ALLOW_PRIVATE', () => {
  it('refuses loopback, private and link-local URLs with 400 (tests run their receivers with the flag on)', async () => {
    const platform = await startPlatform({ WEBHOOK_ALLOW_PRIVATE: '0' }, { worker: false });
    try {
      const admin = await createOrganizer(platform.api, 'admin');
      for (const url of [
        'http://127.0.0.1:9/hooks',
        'http://localhost:9/hooks',
        'http://[::1]:9/hooks',
        'http://10.0.0.8/hooks',
        'http://169.254.169.254/latest/meta-data',
        'http://[::ffff:127.0.0.1]/hooks',
        'http://2130706433/hooks',
      ]) {
        const res = await request(platform.api.getHttpServer())
          .post('/api/v1/admin/webhooks')
          .set('authorization', `Bearer ${admin.apiKey}`)
          .send({ url, events: ['person.confirmed'] });
        expect([url, res.status]).toEqual([url, 400]);
        expect(res.body.details).toEqual([{ field: 'url', message: expect.stringMatching(/non-public/) }]);
      }
      const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM webhooks WHERE created_by = $1`, [admin.id]);
      expect(n).toBe(0);
    } finally {
      await platform.close();
    }
  });

  it('checks the destination again at every delivery: a webhook now pointing at 127.0.0.1 gets nothing', async () => {
    const platform = await startPlatform({ WEBHOOK_ALLOW_PRIVATE: '0', WEBHOOK_RETRY_SCHEDULE: '1' });
    const receiver = await new WebhookReceiver().start();
    try {
      const admin = await createOrganizer(platform.api, 'admin');
      // As if created while the flag was on (or while its name resolved elsewhere).
      const secret = WebhookSecrets.generate();
      const [webhook] = await platform.db.query(
        `INSERT INTO webhooks (url, events, secret_encrypted) VALUES ($1, '{person.erased}', $2) RETURNING id`,
        [receiver.url, new WebhookSecrets(process.env.APP_SECRET as string).encrypt(secret)],
      );
      const person = await createPerson(platform.db, {});
      expect(
        (
          await request(platform.api.getHttpServer())
            .delete(`/api/v1/admin/people/${person.id}`)
            .set('authorization', `Bearer ${admin.apiKey}`)
        ).status,
      ).toBe(204);
      await waitUntil(
        async () =>
          (await platform.db.query(`SELECT 1 FROM webhook_deliveries WHERE webhook_id = $1 AND status = 'failed'`, [webhook.id])).length ===
          1,
        20_000,
        'the delivery to fail',
      );
      const [delivery] = await platform.db.query(`SELECT attempts FROM webhook_deliveries WHERE webhook_id = $1`, [webhook.id]);
      expect(delivery.attempts).toEqual([
        { at: expect.any(String), responseStatus: null },
        { at: expect.any(String), responseStatus: null },
      ]);
      expect(receiver.requests).toHaveLength(0);
    } finally {
      await receiver.stop();
      await platform.close();
    }
  }, 30_000);
});
