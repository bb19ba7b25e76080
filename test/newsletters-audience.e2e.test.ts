import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Clock } from '../src/common/clock';
import { EventRemindersService } from '../src/events/event-reminders.service';
import { DeliveriesRepository } from '../src/mailings/deliveries.repository';
import { MailingSender } from '../src/mailings/mailing-sender.service';
import { MailingsRepository } from '../src/mailings/mailings.repository';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { createList, createSubscriber, mailingPayload } from './factories/mailing.factory';
import { createOrganizer } from './factories/organizer.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { rawBody } from './support/csv';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';
import { SmtpSink } from './support/smtp-sink';

const WEBHOOK_SECRET = 'webhook-secret-audience-0123456789';
const MINUTE = 60_000;

/**
 * Newsletters meeting the other features: audiences narrowed by petitions and events,
 * imported subscribers, erasure, and webhook suppressions reaching every kind of email.
 */
describe('newsletters with petitions, events, imports and erasure (real PostgreSQL, Redis, SMTP)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizer: string;
  let adminKey: string;
  const http = () => request(platform.api.getHttpServer());
  const as = (key: string) => ({ authorization: `Bearer ${key}` });

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url, EMAIL_WEBHOOK_SECRET: WEBHOOK_SECRET, MAIL_RATE_PER_SECOND: '0' });
    organizer = (await createOrganizer(platform.api, 'organizer')).apiKey;
    adminKey = (await createOrganizer(platform.api, 'admin')).apiKey;
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  async function createMailing(payload: Record<string, unknown>): Promise<string> {
    const res = await http().post('/api/v1/admin/mailings').set(as(organizer)).send(payload);
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function sendAndWait(id: string): Promise<{ status: string; stats: Record<string, number> }> {
    await http().post(`/api/v1/admin/mailings/${id}/send`).set(as(organizer)).expect(200);
    const read = async () => (await http().get(`/api/v1/admin/mailings/${id}`).set(as(organizer)).expect(200)).body;
    await waitUntil(async () => (await read()).status === 'sent', 20_000, `mailing ${id} to be sent`);
    return read();
  }

  async function createEvent(overrides: Record<string, unknown> = {}): Promise<{ id: string; slug: string; startsAt: string }> {
    const res = await http().post('/api/v1/admin/events').set(as(organizer)).send(eventPayload(overrides));
    expect(res.status).toBe(201);
    return res.body;
  }

  /** A signature in a given state, written directly (already handled, so no worker mails it). */
  async function sign(petitionId: string, personId: string, status: 'pending' | 'confirmed'): Promise<void> {
    await platform.db.query(
      `INSERT INTO signatures (petition_id, person_id, status, consent_text_version, handled_requests, confirmed_at)
       VALUES ($1, $2, $3::varchar, 'v1', 1, CASE WHEN $3::varchar = 'confirmed' THEN now() END)`,
      [petitionId, personId, status],
    );
  }

  /** An RSVP in a given state, written directly (already processed). */
  async function rsvp(eventId: string, personId: string, status: string, attended: boolean | null = null): Promise<void> {
    await platform.db.query(
      `INSERT INTO rsvps (event_id, person_id, email, status, attended, processed_round, going_at)
       SELECT $1, p.id, p.email, $3::varchar, $4, 1, CASE WHEN $3::varchar = 'going' THEN now() END FROM people p WHERE p.id = $2`,
      [eventId, personId, status, attended],
    );
  }

  /**
   * The mailing in `sending` with its deliveries stored, and no batch job queued (the
   * planner would queue them): the test runs the batches itself, after changing things.
   */
  async function planWithoutSending(id: string): Promise<void> {
    await platform.db.query(`UPDATE mailings SET status = 'sending', started_at = now() WHERE id = $1`, [id]);
    const mailing = (await platform.worker!.get(MailingsRepository).findById(id))!;
    await platform.db.transaction((tx) => platform.worker!.get(DeliveriesRepository).planRange(tx, mailing, null, 0, 1000, 1_000_000_000));
    await platform.db.query(`UPDATE mailings SET planned_at = now() WHERE id = $1`, [id]);
  }

  const importCsv = (csv: string, query: string) =>
    http().post(`/api/v1/admin/imports/people${query}`).set(as(organizer)).set('content-type', 'text/csv').send(csv);

  const webhook = (body: Record<string, unknown>) =>
    http().post('/api/v1/webhooks/email-events').set('x-webhook-secret', WEBHOOK_SECRET).send(body).expect(202);

  describe('audience narrowed by petitions and events', () => {
    it('by a petition: only list subscribers with a confirmed signature', async () => {
      const list = await createList(platform.db);
      const petition = await createPetition(platform.api);
      const other = await createPetition(platform.api);
      const signer = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const pendingSigner = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const otherPetition = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const notSigned = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const outsideList = await createSubscriber(platform.db, { lists: [] });
      const unsubscribedSigner = await createSubscriber(platform.db, { lists: [{ id: list.id, status: 'unsubscribed' }] });
      await sign(petition.id, signer.id, 'confirmed');
      await sign(petition.id, pendingSigner.id, 'pending');
      await sign(other.id, otherPetition.id, 'confirmed');
      await sign(petition.id, outsideList.id, 'confirmed');
      await sign(petition.id, unsubscribedSigner.id, 'confirmed');

      const done = await sendAndWait(
        await createMailing(mailingPayload([list.slug], { audience: { lists: [list.slug], petitions: [petition.id] } })),
      );

      expect(sink.to(signer.email)).toHaveLength(1);
      for (const p of [pendingSigner, otherPetition, notSigned, outsideList, unsubscribedSigner]) expect(sink.to(p.email)).toHaveLength(0);
      expect(done.stats).toEqual(expect.objectContaining({ recipients: 1, sent: 1 }));
    });

    it('by an event: only list subscribers going or marked attended, not waitlisted, pending, refused or cancelled', async () => {
      const list = await createList(platform.db);
      const event = await createEvent();
      const going = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const attended = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const others = await Promise.all(
        ['waitlisted', 'pending', 'refused', 'cancelled'].map(() => createSubscriber(platform.db, { lists: [{ id: list.id }] })),
      );
      const goingOutsideList = await createSubscriber(platform.db, { lists: [] });
      await rsvp(event.id, going.id, 'going');
      await rsvp(event.id, attended.id, 'cancelled', true);
      await Promise.all(
        ['waitlisted', 'pending', 'refused', 'cancelled'].map((status, i) => rsvp(event.id, others[i].id, status, i === 3 ? false : null)),
      );
      await rsvp(event.id, goingOutsideList.id, 'going');

      const done = await sendAndWait(
        await createMailing(mailingPayload([list.slug], { audience: { lists: [list.slug], events: [event.id] } })),
      );

      expect(sink.to(going.email)).toHaveLength(1);
      expect(sink.to(attended.email)).toHaveLength(1);
      for (const p of [...others, goingOutsideList]) expect(sink.to(p.email)).toHaveLength(0);
      expect(done.stats).toEqual(expect.objectContaining({ recipients: 2, sent: 2 }));
    });

    it('petitions and events combine with countries and languages, each one narrowing (AND), never widening the lists', async () => {
      const list = await createList(platform.db);
      const petition = await createPetition(platform.api);
      const event = await createEvent();
      const everything = await createSubscriber(platform.db, { country: 'FR', language: 'fr-FR', lists: [{ id: list.id }] });
      const wrongCountry = await createSubscriber(platform.db, { country: 'DE', language: 'fr', lists: [{ id: list.id }] });
      const wrongLanguage = await createSubscriber(platform.db, { country: 'FR', language: 'en', lists: [{ id: list.id }] });
      const noEvent = await createSubscriber(platform.db, { country: 'FR', language: 'fr', lists: [{ id: list.id }] });
      const noSignature = await createSubscriber(platform.db, { country: 'FR', language: 'fr', lists: [{ id: list.id }] });
      const notOnList = await createSubscriber(platform.db, { country: 'FR', language: 'fr', lists: [] });
      for (const p of [everything, wrongCountry, wrongLanguage, noEvent, notOnList]) await sign(petition.id, p.id, 'confirmed');
      for (const p of [everything, wrongCountry, wrongLanguage, noSignature, notOnList]) await rsvp(event.id, p.id, 'going');

      const done = await sendAndWait(
        await createMailing(
          mailingPayload([list.slug], {
            audience: { lists: [list.slug], countries: ['fr'], languages: ['fr'], petitions: [petition.id], events: [event.id] },
          }),
        ),
      );

      expect(sink.to(everything.email)).toHaveLength(1);
      for (const p of [wrongCountry, wrongLanguage, noEvent, noSignature, notOnList]) expect(sink.to(p.email)).toHaveLength(0);
      expect(done.stats).toEqual(expect.objectContaining({ recipients: 1, sent: 1 }));
    });

    it('refuses unknown petition or event ids with a 400 naming the field', async () => {
      const list = await createList(platform.db);
      const petition = await createPetition(platform.api);
      const unknown = randomUUID();
      const res = await http()
        .post('/api/v1/admin/mailings')
        .set(as(organizer))
        .send(mailingPayload([list.slug], { audience: { lists: [list.slug], petitions: [petition.id, unknown], events: [unknown] } }));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        details: [
          { field: 'audience.petitions', message: `unknown petition(s): ${unknown}` },
          { field: 'audience.events', message: `unknown event(s): ${unknown}` },
        ],
      });
      const notUuid = await http()
        .post('/api/v1/admin/mailings')
        .set(as(organizer))
        .send(mailingPayload([list.slug], { audience: { lists: [list.slug], events: ['not-an-id'] } }));
      expect(notUuid.status).toBe(400);
    });

    it('re-checks the narrowing when sending: a going RSVP cancelled after planning is skipped', async () => {
      const list = await createList(platform.db);
      const event = await createEvent();
      const stays = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const leaves = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      await rsvp(event.id, stays.id, 'going');
      await rsvp(event.id, leaves.id, 'going');
      const id = await createMailing(mailingPayload([list.slug], { audience: { lists: [list.slug], events: [event.id] } }));
      await planWithoutSending(id);
      await platform.db.query(`UPDATE rsvps SET status = 'cancelled' WHERE event_id = $1 AND person_id = $2`, [event.id, leaves.id]);
      const batches: Array<{ batch: number }> = await platform.db.query(
        `SELECT DISTINCT batch FROM mailing_deliveries WHERE mailing_id = $1`,
        [id],
      );
      for (const { batch } of batches) await platform.worker!.get(MailingSender).sendBatch(id, batch);
      await waitUntil(
        async () => (await platform.db.query(`SELECT status FROM mailings WHERE id = $1`, [id]))[0].status === 'sent',
        20_000,
        'the mailing to finish',
      );

      expect(await sink.waitFor(stays.email, 1)).toHaveLength(1);
      expect(sink.to(leaves.email)).toHaveLength(0);
      const stats = (await http().get(`/api/v1/admin/mailings/${id}`).set(as(organizer)).expect(200)).body.stats;
      expect(stats).toEqual(expect.objectContaining({ recipients: 1, sent: 1, skipped: 1 }));
    });
  });

  describe('imported subscribers', () => {
    it('an import with consent reaches the newsletter; one without consent does not', async () => {
      const list = await createList(platform.db);
      const vouched = uniqueEmail('imported');
      const unvouched = uniqueEmail('imported-no-consent');
      const withConsent = await importCsv(`email,givenName\n${vouched},Noor\n`, `?list=${list.slug}&consent=confirmed`);
      expect(withConsent.status).toBe(200);
      const without = await importCsv(`email,givenName\n${unvouched},Omid\n`, `?list=${list.slug}`);
      expect(without.status).toBe(200);
      // Neither address was proven by its owner.
      const rows: Array<{ confirmed_at: Date | null }> = await platform.db.query(
        `SELECT confirmed_at FROM people WHERE email_normalized = ANY($1)`,
        [[vouched, unvouched]],
      );
      expect(rows).toEqual([{ confirmed_at: null }, { confirmed_at: null }]);

      await sendAndWait(await createMailing(mailingPayload([list.slug])));

      const got = sink.to(vouched);
      expect(got).toHaveLength(1);
      expect(got[0].raw.toString('utf8')).toContain('Noor');
      expect(sink.to(unvouched)).toHaveLength(0);
    });
  });

  describe('erasure', () => {
    it('an erased person is gone from the API and exports, and a later newsletter does not reach the address, even after a re-import or re-signup', async () => {
      const list = await createList(platform.db, 'Public list', true);
      const kept = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const erased = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const first = await sendAndWait(await createMailing(mailingPayload([list.slug], { name: 'Before erasure' })));
      expect(sink.to(erased.email)).toHaveLength(1);

      // Subject access lists the newsletters the person was sent.
      const access = await http().get(`/api/v1/admin/people/${erased.id}/export`).set(as(organizer)).expect(200);
      expect(access.body.deliveries).toEqual([
        { mailingId: expect.any(String), mailingName: 'Before erasure', status: 'sent', sentAt: expect.any(String) },
      ]);
      const detail = await http().get(`/api/v1/admin/people/${erased.id}`).set(as(organizer)).expect(200);
      expect(detail.body.deliveries).toBeUndefined();

      await http().delete(`/api/v1/admin/people/${erased.id}`).set(as(adminKey)).expect(204);
      await http().get(`/api/v1/admin/people/${erased.id}`).set(as(organizer)).expect(404);
      const csv = await http()
        .get(`/api/v1/admin/exports/people.csv?list=${list.slug}&bom=0`)
        .set(as(organizer))
        .buffer(true)
        .parse(rawBody)
        .expect(200);
      expect((csv.body as Buffer).toString('utf8')).not.toContain(erased.email);

      // The past mailing's stats still add up; the row holds nothing that points at the person.
      const after = (
        await http()
          .get(`/api/v1/admin/mailings/${(access.body.deliveries as Array<{ mailingId: string }>)[0].mailingId}`)
          .set(as(organizer))
          .expect(200)
      ).body;
      expect(after.stats).toEqual(expect.objectContaining({ recipients: first.stats.recipients, sent: first.stats.sent }));
      const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM mailing_deliveries WHERE person_id = $1`, [erased.id]);
      expect(n).toBe(0);

      // A re-import (even vouched) and a re-signup of the address bring nobody back.
      const reimport = await importCsv(`email\n${erased.email}\n`, `?list=${list.slug}&consent=confirmed`);
      expect(reimport.status).toBe(200);
      expect(reimport.body.imported).toBe(0);
      await http()
        .post('/api/v1/signups')
        .send(signupPayload({ email: erased.email, lists: [list.slug] }))
        .expect(202);
      await waitUntil(
        async () => (await platform.db.query(`SELECT 1 FROM signups WHERE email_normalized = lower($1)`, [erased.email])).length === 0,
        15_000,
        'the re-signup to be handled',
      );

      await sendAndWait(await createMailing(mailingPayload([list.slug], { name: 'After erasure' })));
      expect(sink.to(kept.email)).toHaveLength(2);
      expect(sink.to(erased.email)).toHaveLength(1);
    });

    it('an erasure during a send skips the person and the mailing still finishes', async () => {
      const list = await createList(platform.db);
      const person = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const id = await createMailing(mailingPayload([list.slug]));
      await planWithoutSending(id);
      await http().delete(`/api/v1/admin/people/${person.id}`).set(as(adminKey)).expect(204);
      await platform.worker!.get(MailingSender).sendBatch(id, 0);
      await waitUntil(
        async () => (await platform.db.query(`SELECT status FROM mailings WHERE id = $1`, [id]))[0].status === 'sent',
        20_000,
        'the mailing to finish',
      );
      expect(sink.to(person.email)).toHaveLength(0);
      const stats = (await http().get(`/api/v1/admin/mailings/${id}`).set(as(organizer)).expect(200)).body.stats;
      expect(stats).toEqual(expect.objectContaining({ recipients: 0, sent: 0, skipped: 1 }));
    });
  });

  describe('stats', () => {
    it('recipients never counts a person the mailing will not send to: once finished, recipients = sent + failed', async () => {
      const list = await createList(platform.db);
      const stays = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const suppressedBefore = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const unsubscribedBefore = await createSubscriber(platform.db, { lists: [{ id: list.id, status: 'unsubscribed' }] });
      const leavesAfterPlanning = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const complainsAfterPlanning = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      await webhook({ type: 'complaint', email: suppressedBefore.email });
      const id = await createMailing(mailingPayload([list.slug]));
      await planWithoutSending(id);
      await platform.db.query(`UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = now() WHERE person_id = $1`, [
        leavesAfterPlanning.id,
      ]);
      await webhook({ type: 'complaint', email: complainsAfterPlanning.email });
      await platform.worker!.get(MailingSender).sendBatch(id, 0);
      await waitUntil(
        async () => (await platform.db.query(`SELECT status FROM mailings WHERE id = $1`, [id]))[0].status === 'sent',
        20_000,
        'the mailing to finish',
      );

      expect(await sink.waitFor(stays.email, 1)).toHaveLength(1);
      for (const p of [suppressedBefore, unsubscribedBefore, leavesAfterPlanning, complainsAfterPlanning])
        expect(sink.to(p.email)).toHaveLength(0);
      const stats = (await http().get(`/api/v1/admin/mailings/${id}`).set(as(organizer)).expect(200)).body.stats;
      // The unsubscribed person was never planned; the three others were, and were skipped.
      expect(stats).toEqual(expect.objectContaining({ recipients: 1, sent: 1, failed: 0, skipped: 3, pending: 0 }));
      expect(stats.recipients).toBe(stats.sent + stats.failed);
    });
  });

  describe('webhook suppressions reach every kind of email', () => {
    it('after a complaint, no petition or RSVP confirmation and no event reminder reaches the address', async () => {
      const petition = await createPetition(platform.api);
      const event = await createEvent({ reminders: [60] });
      const complainer = await createSubscriber(platform.db, { email: uniqueEmail('complainer'), lists: [] });
      const control = await createSubscriber(platform.db, { lists: [] });
      await rsvp(event.id, complainer.id, 'going');
      await rsvp(event.id, control.id, 'going');
      const email = complainer.email;
      await webhook({ type: 'complaint', email: email.toUpperCase() });

      // A reminder falling due now goes to the control, not to the complainer.
      const startsAt = new Date(event.startsAt).getTime();
      jest.spyOn(platform.worker!.get(Clock), 'now').mockReturnValue(new Date(startsAt - 60 * MINUTE));
      const rsvpOf = async (personId: string): Promise<string> =>
        (await platform.db.query(`SELECT id FROM rsvps WHERE event_id = $1 AND person_id = $2`, [event.id, personId]))[0].id;
      const reminders = platform.worker!.get(EventRemindersService);
      expect(await reminders.send({ rsvpId: await rsvpOf(control.id), offset: 60, startsAt })).toBe(true);
      expect(await reminders.send({ rsvpId: await rsvpOf(complainer.id), offset: 60, startsAt })).toBe(false);
      await sink.waitFor(control.email, 1);

      // New confirmation requests from the address are dropped by the workers.
      await http().post(`/api/v1/petitions/${petition.slug}/signatures`).send(signaturePayload({ email })).expect(202);
      const other = await createEvent();
      await http().post(`/api/v1/events/${other.slug}/rsvps`).send(rsvpPayload({ email })).expect(202);
      await waitUntil(
        async () => {
          const [{ n }] = await platform.db.query(
            `SELECT (SELECT count(*) FROM signatures s WHERE s.petition_id = $1) + (SELECT count(*) FROM rsvps r WHERE r.event_id = $2) AS n`,
            [petition.id, other.id],
          );
          return Number(n) === 0;
        },
        15_000,
        'the requests from the suppressed address to be dropped',
      );
      expect(sink.to(email)).toHaveLength(0);
    });
  });
});
