import * as ical from 'node-ical';
import request from 'supertest';
import { EventsRepository } from '../src/events/events.repository';
import { actionLink, ReceivedMail, SmtpSink } from './support/smtp-sink';
import { Platform, startPlatform } from './support/platform';
import { createOrganizer } from './factories/organizer.factory';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { uniqueEmail } from './factories/signup.factory';

interface EventBody {
  id: string;
  slug: string;
  title: string;
  [field: string]: unknown;
}

describe('events and RSVPs (real PostgreSQL, Redis, SMTP)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizerKey: string;
  let viewerKey: string;
  const http = () => request(platform.api.getHttpServer());
  const admin = (key = organizerKey) => ({ Authorization: `Bearer ${key}` });

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    organizerKey = (await createOrganizer(platform.api, 'organizer')).apiKey;
    viewerKey = (await createOrganizer(platform.api, 'viewer')).apiKey;
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  async function createEvent(overrides: Record<string, unknown> = {}): Promise<EventBody> {
    const res = await http().post('/api/v1/admin/events').set(admin()).send(eventPayload(overrides));
    expect(res.status).toBe(201);
    return res.body;
  }

  async function rsvp(slug: string, payload: Record<string, unknown>): Promise<void> {
    const res = await http().post(`/api/v1/events/${slug}/rsvps`).send(payload);
    expect(res.status).toBe(202);
    expect(res.text).toBe('{"status":"pending"}');
  }

  /** RSVPs, waits for the confirmation email, uses its link; returns the outcome email. */
  async function rsvpAndConfirm(slug: string, payload: Record<string, unknown>): Promise<{ page: string; outcome: ReceivedMail }> {
    const email = payload.email as string;
    const before = sink.to(email).length;
    await rsvp(slug, payload);
    const mails = await sink.waitFor(email, before + 1);
    const path = new URL(actionLink(mails[mails.length - 1])).pathname;
    expect(path).toMatch(/^\/rsvp\/confirm\/[A-Za-z0-9_-]{43}$/);
    const res = await http().post(path).type('form').send('');
    expect(res.status).toBe(200);
    const outcome = (await sink.waitFor(email, before + 2))[before + 1];
    return { page: res.text, outcome };
  }

  async function rsvpRow(email: string, eventId: string): Promise<{ status: string; attended: boolean | null }> {
    const [row] = await platform.db.query(`SELECT * FROM rsvps WHERE email = $1 AND event_id = $2`, [email, eventId]);
    return row;
  }

  function calendarOf(mail: ReceivedMail): ical.VEvent {
    const attachment = mail.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(attachment).toBeDefined();
    const parsed = ical.sync.parseICS(attachment!.content.toString('utf8'));
    return Object.values(parsed).find((c) => c?.type === 'VEVENT') as ical.VEvent;
  }

  describe('organizer API', () => {
    it('creates, reads, lists and changes events; validates zone, times and fields', async () => {
      const created = await createEvent({ timezone: 'america/new_york', capacity: 20, waitlist: true, reminders: [60, 1440] });
      expect(created).toMatchObject({ timezone: 'America/New_York', capacity: 20, spotsLeft: 20, seatsTaken: 0, reminders: [1440, 60] });

      const read = await http().get(`/api/v1/admin/events/${created.id}`).set(admin(viewerKey));
      expect(read.status).toBe(200);
      expect(read.body.slug).toBe(created.slug);
      const list = await http().get('/api/v1/admin/events?limit=500').set(admin(viewerKey));
      expect(list.body.items.map((e: { id: string }) => e.id)).toContain(created.id);

      const patched = await http()
        .patch(`/api/v1/admin/events/${created.id}`)
        .set(admin())
        .send({ title: 'Nouveau titre', capacity: null });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ title: 'Nouveau titre', capacity: null, spotsLeft: null });

      const bad = await http()
        .post('/api/v1/admin/events')
        .set(admin())
        .send(eventPayload({ timezone: 'Mars/Olympus', guests: 3 }));
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['guests', 'timezone']);
      const backwards = await http()
        .post('/api/v1/admin/events')
        .set(admin())
        .send(eventPayload({ endsAt: '2020-01-01T00:00:00Z' }));
      expect(backwards.status).toBe(400);
      expect(backwards.body.details).toEqual([{ field: 'endsAt', message: 'endsAt must be after startsAt' }]);
      const duplicate = await http()
        .post('/api/v1/admin/events')
        .set(admin())
        .send(eventPayload({ slug: created.slug }));
      expect(duplicate.status).toBe(409);
    });

    it('lets viewers read events but not write them or list RSVPs; audits changes', async () => {
      const event = await createEvent();
      expect((await http().post('/api/v1/admin/events').set(admin(viewerKey)).send(eventPayload())).status).toBe(403);
      expect((await http().patch(`/api/v1/admin/events/${event.id}`).set(admin(viewerKey)).send({ title: 'x' })).status).toBe(403);
      expect((await http().get(`/api/v1/admin/events/${event.id}/rsvps`).set(admin(viewerKey))).status).toBe(403);
      expect((await http().get(`/api/v1/admin/events/${event.id}`)).status).toBe(401);
      const audit = await platform.db.query(`SELECT action FROM audit_log WHERE target_id = $1`, [event.id]);
      expect(audit).toEqual([{ action: 'event.create' }]);
    });
  });

  describe('public API', () => {
    it('documents the event routes in OpenAPI', async () => {
      const docs = await http().get('/docs-json');
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining([
          '/api/v1/events',
          '/api/v1/events/{slug}',
          '/api/v1/events/{slug}/rsvps',
          '/api/v1/admin/events',
          '/api/v1/admin/events/{id}',
          '/api/v1/admin/events/{id}/rsvps',
          '/api/v1/admin/events/{id}/rsvps/{rsvpId}',
        ]),
      );
    });

    it('never shows a private address or a draft; shows spots left', async () => {
      const hidden = await createEvent({
        capacity: 5,
        location: { name: 'Café', address: '7 secret street', private: true, online: false },
      });
      const draft = await createEvent({ status: 'draft' });
      const one = await http().get(`/api/v1/events/${hidden.slug}`);
      expect(one.status).toBe(200);
      expect(Object.keys(one.body).sort()).toEqual(
        [
          'id',
          'slug',
          'title',
          'description',
          'startsAt',
          'endsAt',
          'timezone',
          'location',
          'capacity',
          'spotsLeft',
          'waitlist',
          'status',
        ].sort(),
      );
      expect(one.body.location).toEqual({ name: 'Café', online: false });
      expect(one.body.spotsLeft).toBe(5);
      expect(JSON.stringify(one.body)).not.toContain('secret');
      const list = await http().get('/api/v1/events?limit=500');
      expect(JSON.stringify(list.body)).not.toContain('7 secret street');
      expect(list.body.items.map((e: { slug: string }) => e.slug)).toContain(hidden.slug);
      expect(list.body.items.map((e: { slug: string }) => e.slug)).not.toContain(draft.slug);
      expect((await http().get(`/api/v1/events/${draft.slug}`)).status).toBe(404);
      expect((await http().post(`/api/v1/events/${draft.slug}/rsvps`).send(rsvpPayload())).status).toBe(404);
    });

    it('answers the same bytes for a new, pending and going address; refuses bad input', async () => {
      const event = await createEvent();
      const going = uniqueEmail('going');
      await rsvpAndConfirm(event.slug, rsvpPayload({ email: going }));
      const answers = await Promise.all(
        [uniqueEmail('new'), going, going.toUpperCase()].map((email) =>
          http().post(`/api/v1/events/${event.slug}/rsvps`).send(rsvpPayload({ email })),
        ),
      );
      for (const a of answers) {
        expect(a.status).toBe(202);
        expect(a.text).toBe('{"status":"pending"}');
      }
      const bad = await http()
        .post(`/api/v1/events/${event.slug}/rsvps`)
        .send(rsvpPayload({ guests: 11, givenName: 'Sam\nBcc: x@y.z', extra: 1 }));
      expect(bad.status).toBe(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'givenName', 'guests']);
      // Repeating an RSVP that is going changes nothing and mails nothing more.
      await new Promise((r) => setTimeout(r, 500));
      expect((await rsvpRow(going, event.id)).status).toBe('going');
      expect(sink.to(going)).toHaveLength(2);
    });
  });

  describe('seats, invitations and cancellations', () => {
    it('books a seat, attaches an .ics in the event zone, gives the private address to attendees only', async () => {
      const event = await createEvent({
        timezone: 'America/New_York',
        startsAt: '2027-03-14T23:30:00Z',
        endsAt: '2027-03-15T02:00:00Z',
        capacity: 1,
        waitlist: true,
        location: { name: 'Union Hall', address: '99 Hidden Lane, Brooklyn', private: true },
      });
      const email = uniqueEmail('going');
      const { page, outcome } = await rsvpAndConfirm(event.slug, rsvpPayload({ email, givenName: 'Zoë' }));
      expect(page).toContain('You are going');
      const confirmation = sink.to(email)[0];
      expect(confirmation.parsed.text).not.toContain('Hidden Lane');
      expect(confirmation.parsed.attachments).toHaveLength(0);

      expect(outcome.parsed.subject).toBe(`You are going: ${event.title}`);
      expect(outcome.parsed.text).toContain('99 Hidden Lane, Brooklyn');
      // 23:30 UTC on 14 March 2027 is 19:30 in New York (daylight time began that morning).
      expect(outcome.parsed.text).toContain('19:30');
      expect(outcome.parsed.text).toContain('(America/New_York)');
      expect(actionLink(outcome)).toMatch(/^http:\/\/links\.test\/rsvp\/cancel\/[A-Za-z0-9_-]{43}$/);

      const vevent = calendarOf(outcome);
      expect(vevent.start.toISOString()).toBe('2027-03-14T23:30:00.000Z');
      expect(vevent.start.tz).toBe('America/New_York');
      expect(vevent.end!.toISOString()).toBe('2027-03-15T02:00:00.000Z');
      expect(vevent.uid).toBe(`${event.id}@links.test`);
      expect(vevent.location).toBe('Union Hall, 99 Hidden Lane, Brooklyn');
      const raw = outcome.parsed.attachments[0].content.toString('utf8');
      expect(raw).toContain('DTSTART;TZID=America/New_York:20270314T193000');
      expect(raw).toContain('BEGIN:VTIMEZONE');
      expect(raw.endsWith('END:VCALENDAR\r\n')).toBe(true);

      // The next person is waitlisted: their email has no address and no .ics.
      const waiting = uniqueEmail('waiting');
      const second = await rsvpAndConfirm(event.slug, rsvpPayload({ email: waiting }));
      expect(second.page).toContain('waitlist');
      expect(second.outcome.parsed.subject).toBe(`You are on the waitlist for ${event.title}`);
      for (const mail of sink.to(waiting)) {
        expect(mail.raw.toString('utf8')).not.toContain('Hidden Lane');
        expect(mail.parsed.attachments).toHaveLength(0);
      }
      const publicView = await http().get(`/api/v1/events/${event.slug}`);
      expect(publicView.body.spotsLeft).toBe(0);
    });

    it('counts guests as seats, promotes whoever fits in order when a seat frees, and mails them', async () => {
      const event = await createEvent({ capacity: 6, waitlist: true });
      const a = uniqueEmail('a');
      const big = uniqueEmail('big');
      const small = uniqueEmail('small');
      const later = uniqueEmail('later');
      const first = await rsvpAndConfirm(event.slug, rsvpPayload({ email: a, guests: 2 })); // 3 seats
      await rsvpAndConfirm(event.slug, rsvpPayload({ email: uniqueEmail('b'), guests: 2 })); // 3 seats: full
      expect((await http().get(`/api/v1/events/${event.slug}`)).body.spotsLeft).toBe(0);
      await rsvpAndConfirm(event.slug, rsvpPayload({ email: big, guests: 4 })); // 5 seats: waits
      await rsvpAndConfirm(event.slug, rsvpPayload({ email: small, guests: 1 })); // 2 seats: waits
      await rsvpAndConfirm(event.slug, rsvpPayload({ email: later, guests: 0 })); // 1 seat: waits
      expect((await rsvpRow(big, event.id)).status).toBe('waitlisted');

      // A cancels (3 seats free): the big party does not fit and keeps its place; the small
      // party and the next one do, in order.
      const cancelPath = new URL(actionLink(first.outcome)).pathname;
      const look = await http().get(cancelPath);
      expect(look.status).toBe(200);
      expect(look.text).toContain('<form method="post">');
      expect((await rsvpRow(a, event.id)).status).toBe('going');
      const [c1, c2] = await Promise.all([http().post(cancelPath).type('form').send(''), http().post(cancelPath).type('form').send('')]);
      expect([c1.status, c2.status]).toEqual([200, 200]);
      expect([c1.text, c2.text].filter((t) => t.includes('Your place is released'))).toHaveLength(1);

      expect((await rsvpRow(a, event.id)).status).toBe('cancelled');
      expect((await rsvpRow(big, event.id)).status).toBe('waitlisted');
      expect((await rsvpRow(small, event.id)).status).toBe('going');
      expect((await rsvpRow(later, event.id)).status).toBe('going');
      const [promoted] = (await sink.waitFor(small, 3)).slice(2);
      expect(promoted.parsed.subject).toBe(`A place opened up: you are going to ${event.title}`);
      expect(calendarOf(promoted).uid).toBe(`${event.id}@links.test`);
      await sink.waitFor(later, 3);
      const seats = await platform.db.query(`SELECT sum(1 + guests)::int AS n FROM rsvps WHERE event_id = $1 AND status = 'going'`, [
        event.id,
      ]);
      expect(seats[0].n).toBe(6);
      await new Promise((r) => setTimeout(r, 300));
      expect(sink.to(big)).toHaveLength(2);
    });

    it('promotes the waitlist in order when the organizer adds seats', async () => {
      const event = await createEvent({ capacity: 1, waitlist: true });
      await rsvpAndConfirm(event.slug, rsvpPayload());
      const first = uniqueEmail('first');
      const second = uniqueEmail('second');
      await rsvpAndConfirm(event.slug, rsvpPayload({ email: first }));
      await rsvpAndConfirm(event.slug, rsvpPayload({ email: second }));
      const res = await http().patch(`/api/v1/admin/events/${event.id}`).set(admin()).send({ capacity: 2 });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ capacity: 2, seatsTaken: 2, spotsLeft: 0 });
      expect((await rsvpRow(first, event.id)).status).toBe('going');
      expect((await rsvpRow(second, event.id)).status).toBe('waitlisted');
      const [promoted] = (await sink.waitFor(first, 3)).slice(2);
      expect(promoted.parsed.subject).toBe(`A place opened up: you are going to ${event.title}`);
    });

    it('refuses by email when the event is full and has no waitlist', async () => {
      const event = await createEvent({ capacity: 1, waitlist: false });
      await rsvpAndConfirm(event.slug, rsvpPayload());
      const email = uniqueEmail('late');
      const { page, outcome } = await rsvpAndConfirm(event.slug, rsvpPayload({ email }));
      expect(page).toContain('This event is full');
      expect(outcome.parsed.subject).toBe(`${event.title} is full`);
      expect(outcome.parsed.text).not.toContain('http://links.test/');
      expect((await rsvpRow(email, event.id)).status).toBe('refused');
    });

    it('writes to Arabic and Persian attendees right to left, in their language', async () => {
      const event = await createEvent({ timezone: 'Asia/Tehran', capacity: 10 });
      const ar = await rsvpAndConfirm(event.slug, rsvpPayload({ email: uniqueEmail('ar'), givenName: 'أمل', language: 'ar' }));
      expect(ar.outcome.parsed.html).toContain('<html lang="ar" dir="rtl">');
      expect(ar.outcome.parsed.subject).toBe(`حضورك مؤكَّد: ${event.title}`);
      expect(ar.outcome.parsed.text).toContain('مرحبًا أمل،');
      expect(ar.page).toContain('dir="rtl"');
      const fa = await rsvpAndConfirm(event.slug, rsvpPayload({ email: uniqueEmail('fa'), language: 'fa-IR' }));
      expect(fa.outcome.parsed.html).toContain('<html lang="fa" dir="rtl">');
      expect(fa.outcome.parsed.text).toContain('(Asia/Tehran)');
    });

    it('applies typed details to an unconfirmed person only, and subscribes on request', async () => {
      const event = await createEvent();
      const email = uniqueEmail('details');
      await rsvpAndConfirm(event.slug, rsvpPayload({ email, givenName: 'Leïla', country: 'MA', subscribe: true }));
      const [person] = await platform.db.query(
        `SELECT given_name, country, confirmed_at IS NOT NULL AS confirmed FROM people WHERE email_normalized = $1`,
        [email],
      );
      expect(person).toEqual({ given_name: 'Leïla', country: 'MA', confirmed: true });
      const subs = await platform.db.query(
        `SELECT s.status FROM subscriptions s JOIN people p ON p.id = s.person_id JOIN lists l ON l.id = s.list_id
         WHERE p.email_normalized = $1 AND l.is_default`,
        [email],
      );
      expect(subs).toEqual([{ status: 'subscribed' }]);
      // A stranger's RSVP for the now confirmed address does not rename them.
      const other = await createEvent();
      await rsvpAndConfirm(other.slug, rsvpPayload({ email, givenName: 'Impostor', country: 'US' }));
      const [after] = await platform.db.query(`SELECT given_name, country FROM people WHERE email_normalized = $1`, [email]);
      expect(after).toEqual({ given_name: 'Leïla', country: 'MA' });
    });
    it('trims the names typed in an RSVP', async () => {
      const event = await createEvent();
      const email = uniqueEmail('rsvp-spaces');
      await rsvp(event.slug, rsvpPayload({ email, givenName: '  Ali  ', familyName: '  Haddad ' }));
      const [mail] = await sink.waitFor(email);
      expect(mail.parsed.text).not.toContain('  Ali');
      const [row] = await platform.db.query(`SELECT given_name, family_name FROM rsvps WHERE email = $1`, [email]);
      expect(row).toEqual({ given_name: 'Ali', family_name: 'Haddad' });
    });
  });

  describe('organizer actions on attendees', () => {
    it('lists RSVPs with cursor paging and records attendance', async () => {
      const event = await createEvent();
      const emails = [uniqueEmail('p1'), uniqueEmail('p2'), uniqueEmail('p3')];
      for (const email of emails) await rsvpAndConfirm(event.slug, rsvpPayload({ email }));
      const page1 = await http().get(`/api/v1/admin/events/${event.id}/rsvps?limit=2`).set(admin());
      expect(page1.status).toBe(200);
      expect(page1.body.items).toHaveLength(2);
      const page2 = await http().get(`/api/v1/admin/events/${event.id}/rsvps?limit=2&cursor=${page1.body.nextCursor}`).set(admin());
      expect(page2.body.items).toHaveLength(1);
      expect(page2.body.nextCursor).toBeNull();
      const all = [...page1.body.items, ...page2.body.items];
      expect(all.map((r: { email: string }) => r.email)).toEqual(emails);
      expect(all.every((r: { status: string }) => r.status === 'going')).toBe(true);

      const target = all[1];
      const marked = await http().patch(`/api/v1/admin/events/${event.id}/rsvps/${target.id}`).set(admin()).send({ attended: true });
      expect(marked.status).toBe(200);
      expect(marked.body).toMatchObject({ id: target.id, attended: true });
      expect((await rsvpRow(emails[1], event.id)).attended).toBe(true);
      const wrongEvent = await createEvent();
      expect(
        (await http().patch(`/api/v1/admin/events/${wrongEvent.id}/rsvps/${target.id}`).set(admin()).send({ attended: true })).status,
      ).toBe(404);
      expect(
        (await http().patch(`/api/v1/admin/events/${event.id}/rsvps/${target.id}`).set(admin()).send({ attended: 'yes' })).status,
      ).toBe(400);
      const audit = await platform.db.query(`SELECT action, details FROM audit_log WHERE target_id = $1 AND action = 'rsvp.update'`, [
        event.id,
      ]);
      expect(audit).toEqual([{ action: 'rsvp.update', details: { params: { rsvpId: target.id } } }]);
    });

    it('gives the people feature a person’s RSVPs and an erasure step that keeps seat counts', async () => {
      const event = await createEvent({ capacity: 1, waitlist: true });
      const going = uniqueEmail('erased-going');
      const waiting = uniqueEmail('erased-waiting');
      await rsvpAndConfirm(event.slug, rsvpPayload({ email: going, givenName: 'Nour', guests: 0 }));
      await rsvpAndConfirm(event.slug, rsvpPayload({ email: waiting }));
      const repo = platform.api.get(EventsRepository);
      const [{ id: personId }] = await platform.db.query(`SELECT id FROM people WHERE email_normalized = $1`, [going]);
      const [{ id: waitingId }] = await platform.db.query(`SELECT id FROM people WHERE email_normalized = $1`, [waiting]);
      const sections = await repo.rsvpsOf(personId);
      expect(sections).toEqual([expect.objectContaining({ eventId: event.id, eventSlug: event.slug, status: 'going', givenName: 'Nour' })]);

      // What the people feature's erasure does: its steps, then the person's row.
      await platform.db.transaction(async (tx) => {
        await repo.anonymiseRsvpsOf(tx, personId);
        await repo.anonymiseRsvpsOf(tx, waitingId);
        await tx.query(`DELETE FROM people WHERE id = ANY($1)`, [[personId, waitingId]]);
      });
      const rows = await platform.db.query(
        `SELECT person_id, email, given_name, status, guests FROM rsvps WHERE event_id = $1 ORDER BY created_at`,
        [event.id],
      );
      expect(rows).toEqual([
        { person_id: null, email: null, given_name: null, status: 'going', guests: 0 },
        { person_id: null, email: null, given_name: null, status: 'cancelled', guests: 0 },
      ]);
      expect((await http().get(`/api/v1/events/${event.slug}`)).body.spotsLeft).toBe(0);
      expect((await http().get(`/api/v1/admin/events/${event.id}/rsvps`).set(admin())).text).not.toContain(going);
    });

    it('emails everyone going or waiting once when the organizer cancels the event', async () => {
      const event = await createEvent({ capacity: 1, waitlist: true });
      const going = uniqueEmail('going');
      const waiting = uniqueEmail('waiting');
      const pending = uniqueEmail('pending');
      await rsvpAndConfirm(event.slug, rsvpPayload({ email: going }));
      await rsvpAndConfirm(event.slug, rsvpPayload({ email: waiting }));
      await rsvp(event.slug, rsvpPayload({ email: pending }));
      await sink.waitFor(pending, 1);

      const res = await http().patch(`/api/v1/admin/events/${event.id}`).set(admin()).send({ status: 'cancelled' });
      expect(res.status).toBe(200);
      expect(res.body.status).toBe('cancelled');
      const again = await http().patch(`/api/v1/admin/events/${event.id}`).set(admin()).send({ status: 'cancelled' });
      expect(again.status).toBe(409);

      const [toGoing] = (await sink.waitFor(going, 3)).slice(2);
      expect(toGoing.parsed.subject).toBe(`Cancelled: ${event.title}`);
      // Their calendar entry is updated: same UID, marked cancelled.
      const cancelledEntry = calendarOf(toGoing);
      expect(cancelledEntry.uid).toBe(`${event.id}@links.test`);
      expect(cancelledEntry.status).toBe('CANCELLED');
      const [toWaiting] = (await sink.waitFor(waiting, 3)).slice(2);
      expect(toWaiting.parsed.subject).toBe(`Cancelled: ${event.title}`);
      expect(toWaiting.parsed.attachments).toHaveLength(0);
      await new Promise((r) => setTimeout(r, 500));
      expect(sink.to(going)).toHaveLength(3);
      expect(sink.to(waiting)).toHaveLength(3);
      expect(sink.to(pending)).toHaveLength(1);
      expect((await http().post(`/api/v1/events/${event.slug}/rsvps`).send(rsvpPayload())).status).toBe(410);
      expect((await http().get(`/api/v1/events/${event.slug}`)).body.status).toBe('cancelled');
    });
  });
});
