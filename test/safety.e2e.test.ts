import request from 'supertest';
import { Clock } from '../src/common/clock';
import { TransactionalMailService } from '../src/mail/transactional-mail.service';
import { SignatureRemindersTask } from '../src/petitions/signature-reminders.task';
import { createOrganizer } from './factories/organizer.factory';
import { createList } from './factories/person.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { mailingPayload } from './factories/mailing.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { csvRecords, rawBody } from './support/csv';
import { Platform, startPlatform } from './support/platform';
import { actionLink, ReceivedMail, SmtpSink } from './support/smtp-sink';

const CANARY_DOMAIN = 'canary.test';
const WEBHOOK_SECRET = 'webhook-secret-0123456789';

/**
 * Supporter safety (issue 17, CONTRACT section 7) on the real services: four-eyes exports,
 * canary rows and their alert, protected people, quiet email. The lockdown is the CLI's
 * (test/security-cli.e2e.test.ts).
 */
describe('supporter safety (real PostgreSQL, Redis, SMTP)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  type Who = { id: string; email: string; apiKey: string };
  let alice: Who; // organizer: requests
  let bob: Who; // organizer: approves
  let admin: Who;
  let viewer: Who;
  const http = () => request(platform.api.getHttpServer());
  const as = (who: Who, method: 'get' | 'post', path: string) => http()[method](path).set('authorization', `Bearer ${who.apiKey}`);
  const csv = (who: Who, path: string) => as(who, 'get', path).buffer(true).parse(rawBody);

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({
      SMTP_URL: sink.url,
      EXPORT_APPROVAL_MIN_ROWS: '500',
      EXPORT_CANARY_DOMAIN: CANARY_DOMAIN,
      EMAIL_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    alice = await createOrganizer(platform.api, 'organizer');
    bob = await createOrganizer(platform.api, 'organizer');
    admin = await createOrganizer(platform.api, 'admin');
    viewer = await createOrganizer(platform.api, 'viewer');
  }, 60_000);
  afterAll(async () => {
    await platform?.close();
    await sink?.stop();
  });

  /** `n` confirmed people on a list of their own. */
  async function listOf(n: number): Promise<string> {
    const list = await createList(platform.db, 'bulk');
    await platform.db.query(
      `WITH p AS (
         INSERT INTO people (email, email_normalized, given_name, family_name, country, language, confirmed_at)
         SELECT 'bulk-' || $2 || '-' || i || '@example.org', 'bulk-' || $2 || '-' || i || '@example.org', 'Amal', 'Haddad', 'LB', 'ar', now()
         FROM generate_series(1, $1::int) i RETURNING id
       ) INSERT INTO subscriptions (person_id, list_id, status, subscribed_at) SELECT id, $3, 'subscribed', now() FROM p`,
      [n, list.slug, list.id],
    );
    return list.slug;
  }

  async function auditActions(targetId: string): Promise<string[]> {
    const rows: Array<{ action: string }> = await platform.db.query(
      `SELECT action FROM audit_log WHERE target_id = $1 ORDER BY created_at`,
      [targetId],
    );
    return rows.map((r) => r.action);
  }

  describe('four-eyes exports', () => {
    let slug: string;
    beforeAll(async () => {
      slug = await listOf(501);
    });

    it('refuses a 501-row export directly (403 saying approval, nothing streamed); 500 rows stream at once', async () => {
      const res = await csv(alice, `/api/v1/admin/exports/people.csv?list=${slug}`);
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(JSON.parse((res.body as Buffer).toString()).message).toMatch(/approval/);

      const small = await listOf(500);
      const ok = await csv(alice, `/api/v1/admin/exports/people.csv?list=${small}`).expect(200);
      // Canary rows ride along but do not count toward the threshold.
      const rows = csvRecords(ok);
      expect(rows.filter((r) => !r.email.endsWith(`@${CANARY_DOMAIN}`))).toHaveLength(500);
    });

    it('is requested, refused to its requester as approver, approved by another organizer, downloaded once and not twice', async () => {
      expect((await as(viewer, 'post', '/api/v1/admin/export-requests').send({ kind: 'people', filters: { list: slug } })).status).toBe(
        403,
      );
      const created = await as(alice, 'post', '/api/v1/admin/export-requests')
        .send({ kind: 'people', filters: { list: slug } })
        .expect(201);
      expect(created.body).toEqual(expect.objectContaining({ status: 'pending', rows: 501 }));
      const id = created.body.id as string;
      // Approvers see it among the pending requests.
      const pending = await as(bob, 'get', '/api/v1/admin/export-requests?status=pending&limit=100').expect(200);
      expect(pending.body.items.map((r: { id: string }) => r.id)).toContain(id);
      expect((await as(viewer, 'get', '/api/v1/admin/export-requests')).status).toBe(403);

      // Pending: no download; the requester cannot approve; a viewer cannot either.
      expect((await csv(alice, `/api/v1/admin/export-requests/${id}/download`)).status).toBe(409);
      const self = await as(alice, 'post', `/api/v1/admin/export-requests/${id}/approve`);
      expect(self.status).toBe(403);
      expect((await as(viewer, 'post', `/api/v1/admin/export-requests/${id}/approve`)).status).toBe(403);

      const approved = await as(bob, 'post', `/api/v1/admin/export-requests/${id}/approve`).expect(200);
      expect(approved.body).toEqual(
        expect.objectContaining({ id, status: 'approved', rows: 501, requestedBy: alice.id, decidedBy: bob.id }),
      );
      expect((await as(admin, 'post', `/api/v1/admin/export-requests/${id}/refuse`)).status).toBe(409);

      // The requester is told, by email, with ids only in the queue (the worker renders it).
      const [told] = await sink.waitFor(alice.email);
      expect(told.parsed.subject).toBe('Your export request was approved');
      expect(told.parsed.text).toContain(id);

      // Only the requester downloads it.
      expect((await csv(bob, `/api/v1/admin/export-requests/${id}/download`)).status).toBe(403);
      const first = await csv(alice, `/api/v1/admin/export-requests/${id}/download`).expect(200);
      expect(first.headers['content-type']).toBe('text/csv; charset=utf-8');
      const rows = csvRecords(first);
      const canaries = rows.filter((r) => r.email.endsWith(`@${CANARY_DOMAIN}`));
      expect(rows.length - canaries.length).toBe(501);
      expect(canaries.length).toBeGreaterThanOrEqual(1);
      expect(canaries.length).toBeLessThanOrEqual(3);

      expect((await csv(alice, `/api/v1/admin/export-requests/${id}/download`)).status).toBe(410);
      expect((await as(alice, 'get', `/api/v1/admin/export-requests/${id}`).expect(200)).body.status).toBe('downloaded');
      expect(await auditActions(id)).toEqual([
        'export-request.create',
        'export-request.approve',
        'export-request.download',
        'export-request.download-refused',
      ]);
      const [exported] = await platform.db.query(
        `SELECT details FROM audit_log WHERE action = 'export.people' AND organizer_id = $1 ORDER BY created_at DESC LIMIT 1`,
        [alice.id],
      );
      expect(exported.details).toEqual(expect.objectContaining({ rows: 501, completed: true, canaries: canaries.map((c) => c.email) }));
    });

    it('a refused request is 409 to download and its requester is told; an approval older than an hour is 410', async () => {
      const refused = await as(alice, 'post', '/api/v1/admin/export-requests')
        .send({ kind: 'people', filters: { list: slug } })
        .expect(201);
      const before = sink.to(alice.email).length;
      await as(admin, 'post', `/api/v1/admin/export-requests/${refused.body.id}/refuse`).expect(200);
      const mails = await sink.waitFor(alice.email, before + 1);
      expect(mails[mails.length - 1].parsed.subject).toBe('Your export request was refused');
      expect((await csv(alice, `/api/v1/admin/export-requests/${refused.body.id}/download`)).status).toBe(409);

      const late = await as(alice, 'post', '/api/v1/admin/export-requests')
        .send({ kind: 'people', filters: { list: slug } })
        .expect(201);
      await as(bob, 'post', `/api/v1/admin/export-requests/${late.body.id}/approve`).expect(200);
      await platform.db.query(`UPDATE export_requests SET decided_at = now() - interval '61 minutes' WHERE id = $1`, [late.body.id]);
      expect((await as(alice, 'get', `/api/v1/admin/export-requests/${late.body.id}`).expect(200)).body.status).toBe('expired');
      expect((await csv(alice, `/api/v1/admin/export-requests/${late.body.id}/download`)).status).toBe(410);
    });

    it('an admin requester cannot approve their own request either; bad bodies are 400', async () => {
      const own = await as(admin, 'post', '/api/v1/admin/export-requests')
        .send({ kind: 'people', filters: { list: slug } })
        .expect(201);
      expect((await as(admin, 'post', `/api/v1/admin/export-requests/${own.body.id}/approve`)).status).toBe(403);
      expect((await as(alice, 'post', '/api/v1/admin/export-requests').send({ kind: 'signatures' })).status).toBe(400);
      expect((await as(alice, 'post', '/api/v1/admin/export-requests').send({ kind: 'everything' })).status).toBe(400);
      const petition = await createPetition(platform.api);
      expect(
        (
          await as(alice, 'post', '/api/v1/admin/export-requests').send({
            kind: 'signatures',
            petitionId: petition.id,
            filters: { status: 'going' },
          })
        ).status,
      ).toBe(400);
      const signatures = await as(alice, 'post', '/api/v1/admin/export-requests')
        .send({ kind: 'signatures', petitionId: petition.id, filters: { status: 'confirmed' } })
        .expect(201);
      expect(signatures.body).toEqual(expect.objectContaining({ rows: 0, petitionId: petition.id }));
    });
  });

  describe('canary rows', () => {
    it('the trace names the export; a leaked canary address that signs a petition alerts every admin, naming the export', async () => {
      const small = await listOf(3);
      const res = await csv(alice, `/api/v1/admin/exports/people.csv?list=${small}`).expect(200);
      const canary = csvRecords(res).find((r) => r.email.endsWith(`@${CANARY_DOMAIN}`))!;
      // A plausible row: a uuid, names, a country, like the rows around it.
      expect(canary.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(canary.givenName).not.toBe('');
      expect(canary.familyName).not.toBe('');
      expect(canary.country).toMatch(/^[A-Z]{2}$/);
      const [entry] = await platform.db.query(
        `SELECT id FROM audit_log WHERE action = 'export.people' AND organizer_id = $1 ORDER BY created_at DESC LIMIT 1`,
        [alice.id],
      );

      const trace = await as(admin, 'get', `/api/v1/admin/exports/trace?email=${encodeURIComponent(canary.email.toUpperCase())}`).expect(
        200,
      );
      expect(trace.body).toEqual({ auditId: entry.id, kind: 'people', organizerId: alice.id, at: expect.any(String) });
      expect((await as(alice, 'get', `/api/v1/admin/exports/trace?email=${encodeURIComponent(canary.email)}`)).status).toBe(403);
      expect((await as(admin, 'get', `/api/v1/admin/exports/trace?email=nobody%40${CANARY_DOMAIN}`)).status).toBe(404);

      // The leak: someone signs with the canary address. The answer is the usual 202.
      const petition = await createPetition(platform.api);
      const signed = await http()
        .post(`/api/v1/petitions/${petition.slug}/signatures`)
        .send(signaturePayload({ email: canary.email, givenName: canary.givenName }));
      expect(signed.status).toBe(202);
      expect(signed.body).toEqual({ status: 'pending' });

      const alert = (await sink.waitFor(admin.email, 1, 60_000)).find((m) => m.parsed.subject?.includes(entry.id as string));
      expect(alert).toBeDefined();
      expect(alert!.parsed.text).toContain(entry.id);
      expect(alert!.parsed.text).toContain(alice.id);
      const seen = await platform.db.query(`SELECT details FROM audit_log WHERE action = 'export.canary-seen' AND target_id = $1`, [
        entry.id,
      ]);
      expect(seen).toHaveLength(1);
      expect(seen[0].details).toEqual(expect.objectContaining({ source: 'signature', kind: 'people', exportedBy: alice.id }));
    }, 90_000);

    it('a canary address in an import alerts too, once per occurrence', async () => {
      const res = await csv(bob, `/api/v1/admin/exports/people.csv?list=${await listOf(2)}`).expect(200);
      const canary = csvRecords(res).find((r) => r.email.endsWith(`@${CANARY_DOMAIN}`))!;
      const trace = await as(admin, 'get', `/api/v1/admin/exports/trace?email=${encodeURIComponent(canary.email)}`).expect(200);
      const before = sink.to(admin.email).length;
      await as(admin, 'post', '/api/v1/admin/imports/people')
        .set('content-type', 'text/csv')
        .send(`email,givenName\n${canary.email},${canary.givenName}\n`)
        .expect(200);
      const mails = await sink.waitFor(admin.email, before + 1, 60_000);
      expect(mails[mails.length - 1].parsed.text).toContain(trace.body.auditId);
      const seen = await platform.db.query(`SELECT details FROM audit_log WHERE action = 'export.canary-seen' AND target_id = $1`, [
        trace.body.auditId,
      ]);
      expect(seen.map((s: { details: { source: string } }) => s.details.source)).toEqual(['import']);
    }, 90_000);

    it('a bounce reported for a canary address by the email-events webhook alerts too', async () => {
      const res = await csv(alice, `/api/v1/admin/exports/people.csv?list=${await listOf(1)}`).expect(200);
      const canary = csvRecords(res).find((r) => r.email.endsWith(`@${CANARY_DOMAIN}`))!;
      const trace = await as(admin, 'get', `/api/v1/admin/exports/trace?email=${encodeURIComponent(canary.email)}`).expect(200);
      const before = sink.to(admin.email).length;
      const hook = await http()
        .post('/api/v1/webhooks/email-events')
        .set('x-webhook-secret', WEBHOOK_SECRET)
        .send({ type: 'bounce', email: canary.email, permanent: true });
      expect(hook.status).toBeLessThan(300);
      const mails = await sink.waitFor(admin.email, before + 1, 60_000);
      expect(mails[mails.length - 1].parsed.text).toContain(trace.body.auditId);
      expect(mails[mails.length - 1].parsed.text).toContain('email-event');
    }, 90_000);
  });

  describe('protected people', () => {
    const link = (mail: ReceivedMail): string => new URL(actionLink(mail)).pathname;

    async function signAndConfirm(slug: string, payload: Record<string, unknown>): Promise<ReceivedMail> {
      await http().post(`/api/v1/petitions/${slug}/signatures`).send(payload).expect(202);
      const [mail] = await sink.waitFor(payload.email as string, 1, 30_000);
      expect((await http().post(link(mail)).type('form').send('')).status).toBe(200);
      return mail;
    }

    it('a protected signer with publicName never appears in the public list or page, and counts', async () => {
      const petition = await createPetition(platform.api);
      const fromIran = signaturePayload({
        givenName: 'Shirin',
        familyName: 'Tehrani',
        country: 'IR',
        publicName: true,
        comment: 'Azadi now',
        postalCode: '1234567',
      });
      const asked = signaturePayload({
        givenName: 'Kaveh',
        familyName: 'Protegido',
        country: 'FR',
        publicName: true,
        comment: 'Hide me please',
        postalCode: '75011',
        protectIdentity: true,
      });
      const open = signaturePayload({ givenName: 'Nadia', familyName: 'Visible', country: 'FR', publicName: true, comment: 'Count me in' });
      const iranMail = await signAndConfirm(petition.slug, fromIran);
      await signAndConfirm(petition.slug, asked);
      const openMail = await signAndConfirm(petition.slug, open);

      // Their emails say nothing in the subject; the others' keep theirs.
      expect(iranMail.parsed.subject).toBe('Your confirmation link');
      expect(openMail.parsed.subject).toBe('Confirm your signature');

      // The count includes them (it is a few seconds behind by design).
      const deadline = Date.now() + 30_000;
      let count = 0;
      while (Date.now() < deadline && count < 3) {
        count = (await http().get(`/api/v1/petitions/${petition.slug}`).expect(200)).body.signatureCount as number;
        if (count < 3) await new Promise((r) => setTimeout(r, 250));
      }
      expect(count).toBe(3);

      const list = await http().get(`/api/v1/petitions/${petition.slug}/signatures`).expect(200);
      expect(list.body.items.map((i: { name: string }) => i.name)).toEqual([expect.stringContaining('Nadia')]);
      for (const path of [`/api/v1/petitions/${petition.slug}/signatures`, `/p/${petition.slug}`, `/embed/p/${petition.slug}`]) {
        const body = (await http().get(path).expect(200)).text;
        // The embed shows no signers at all; the list and the page show the one who is not protected.
        if (!path.startsWith('/embed')) expect(body).toContain('Nadia');
        for (const secret of ['Shirin', 'Tehrani', 'Azadi', 'Kaveh', 'Protegido', 'Hide me']) expect(body).not.toContain(secret);
      }

      // No postal code kept, no IP hash in their consent records, marked in the export.
      const people: Array<{ email: string; postal_code: string | null; protected: boolean; ip: string | null }> = await platform.db.query(
        `SELECT p.email, p.postal_code, p.protected, (SELECT max(ip_hash) FROM consent_records c WHERE c.person_id = p.id) AS ip
         FROM people p WHERE p.email = ANY($1)`,
        [[fromIran.email, asked.email, open.email]],
      );
      const byEmail = new Map(people.map((p) => [p.email, p]));
      expect(byEmail.get(fromIran.email as string)).toEqual(expect.objectContaining({ postal_code: null, protected: true, ip: null }));
      expect(byEmail.get(asked.email as string)).toEqual(expect.objectContaining({ postal_code: null, protected: true, ip: null }));
      expect(byEmail.get(open.email as string)).toEqual(expect.objectContaining({ protected: false }));
      const rows = csvRecords(await csv(alice, `/api/v1/admin/exports/petitions/${petition.id}/signatures.csv`).expect(200));
      const real = rows.filter((r) => !r.email.endsWith(`@${CANARY_DOMAIN}`));
      expect(real).toHaveLength(3);
      for (const r of real) {
        const isProtected = r.email !== open.email;
        expect(r.protected).toBe(isProtected ? 'true' : 'false');
        if (isProtected) expect(r.postalCode).toBe('');
      }
      // Narrowed to this test's signer: other files' people from IR share the table (and the four-eyes threshold).
      const peopleRows = csvRecords(
        await csv(alice, `/api/v1/admin/exports/people.csv?country=IR&email=${encodeURIComponent(fromIran.email as string)}`).expect(200),
      );
      expect(peopleRows.find((r) => r.email === fromIran.email)).toEqual(expect.objectContaining({ postalCode: '', protected: 'true' }));
    }, 120_000);

    it('sign-ups and RSVPs accept protectIdentity; a protected RSVP keeps no IP hash', async () => {
      const signup = signupPayload({ protectIdentity: true, postalCode: '75011' });
      await http().post('/api/v1/signups').send(signup).expect(202);
      await sink.waitFor(signup.email as string);
      const [row] = await platform.db.query(`SELECT protected, postal_code, ip_hash FROM signups WHERE email = $1`, [signup.email]);
      expect(row).toEqual({ protected: true, postal_code: null, ip_hash: null });
      expect(
        (
          await http()
            .post('/api/v1/signups')
            .send({ ...signupPayload(), protectIdentity: 'maybe' })
        ).status,
      ).toBe(400);

      const event = await as(alice, 'post', '/api/v1/admin/events').send(eventPayload()).expect(201);
      const rsvp = rsvpPayload({ protectIdentity: true });
      await http().post(`/api/v1/events/${event.body.slug}/rsvps`).send(rsvp).expect(202);
      const [mail] = await sink.waitFor(rsvp.email as string);
      expect(mail.parsed.subject).toBe('Your confirmation link');
      await http().post(link(mail)).type('form').send('').expect(200);
      const decided = await sink.waitFor(rsvp.email as string, 2);
      expect(decided[1].parsed.subject).toBe('A message for you');
      const [r] = await platform.db.query(`SELECT protected, ip_hash FROM rsvps WHERE email = $1`, [rsvp.email]);
      expect(r).toEqual({ protected: true, ip_hash: null });
    }, 60_000);
  });

  describe('quiet email', () => {
    it('a newsletter gives protected recipients its neutral subject and sender name, the others its own', async () => {
      const list = await createList(platform.db, 'quiet');
      const [reader, guarded] = [uniqueEmail('reader'), uniqueEmail('guarded')];
      await platform.db.query(
        `WITH p AS (
           INSERT INTO people (email, email_normalized, given_name, confirmed_at, protected)
           VALUES ($1, $1, 'Rana', now(), false), ($2, $2, 'Dara', now(), true) RETURNING id
         ) INSERT INTO subscriptions (person_id, list_id, status, subscribed_at) SELECT id, $3, 'subscribed', now() FROM p`,
        [reader, guarded, list.id],
      );
      const payload = mailingPayload([list.slug], {
        content: {
          en: {
            subject: 'Rally against the executions',
            html: '<p>Hello {{givenName}}, join the rally.</p>',
            protectedSubject: 'Monthly letter',
            protectedFromName: 'Reading club',
          },
        },
      });
      expect(
        (
          await as(alice, 'post', '/api/v1/admin/mailings').send({
            ...payload,
            content: { en: { subject: 's', html: '<p>x</p>', protectedFromName: 'Evil <x@evil.test>' } },
          })
        ).status,
      ).toBe(400);
      const mailing = await as(alice, 'post', '/api/v1/admin/mailings').send(payload).expect(201);
      await as(alice, 'post', `/api/v1/admin/mailings/${mailing.body.id}/send`).expect((r) => expect(r.status).toBeLessThan(300));
      const [open] = await sink.waitFor(reader, 1, 30_000);
      const [quiet] = await sink.waitFor(guarded, 1, 30_000);
      expect(open.parsed.subject).toBe('Rally against the executions');
      expect(open.parsed.from?.value[0]).toEqual({ name: 'Movement', address: 'hello@movement.test' });
      expect(quiet.parsed.subject).toBe('Monthly letter');
      expect(quiet.parsed.from?.value[0]).toEqual({ name: 'Reading club', address: 'hello@movement.test' });
    }, 40_000);

    it('reminders go out too: the signature reminder and an event reminder', async () => {
      const petition = await createPetition(platform.api);
      const forgetful = signaturePayload();
      await http().post(`/api/v1/petitions/${petition.slug}/signatures`).send(forgetful).expect(202);
      await sink.waitFor(forgetful.email as string);
      const spy = jest.spyOn(platform.worker!.get(Clock), 'now').mockReturnValue(new Date(Date.now() + 25 * 3_600_000));
      try {
        await platform.worker!.get(SignatureRemindersTask).runOnce();
        const mails = await sink.waitFor(forgetful.email as string, 2);
        expect(mails[1].parsed.subject).toBe('Your signature is not counted yet');
      } finally {
        spy.mockRestore();
      }

      const event = await as(alice, 'post', '/api/v1/admin/events').send(eventPayload()).expect(201);
      const guest = rsvpPayload();
      await http().post(`/api/v1/events/${event.body.slug}/rsvps`).send(guest).expect(202);
      const [confirmation] = await sink.waitFor(guest.email as string);
      await http()
        .post(new URL(actionLink(confirmation)).pathname)
        .type('form')
        .send('')
        .expect(200);
      await sink.waitFor(guest.email as string, 2);
      // The reminder as its job would send it: a stored message rendered by the events' composer.
      const [{ id: rsvpId, person_id: personId }] = await platform.db.query(`SELECT id, person_id FROM rsvps WHERE email = $1`, [
        guest.email,
      ]);
      const [{ id }] = await platform.db.query(
        `INSERT INTO email_messages (kind, dedupe_key, person_id, language, params) VALUES ('event-reminder', $1, $2, 'en', $3) RETURNING id`,
        [`test-reminder:${rsvpId}`, personId, JSON.stringify({ rsvpId })],
      );
      expect(await platform.worker!.get(TransactionalMailService).send(id as string)).toBe('sent');
      const mails = await sink.waitFor(guest.email as string, 3);
      expect(mails[2].parsed.subject).toMatch(/^Reminder:/);
    }, 40_000);

    it('no email generated above (confirmations, decisions, newsletter, alerts) carries a tracking image or a redirecting link', async () => {
      const kinds = new Set(sink.messages.map((m) => m.parsed.subject));
      expect(sink.messages.length).toBeGreaterThan(10);
      expect([...kinds]).toEqual(
        expect.arrayContaining([
          'Confirm your signature',
          'Your confirmation link',
          'A message for you',
          'Your export request was approved',
        ]),
      );
      const ownLinks = new Set<string>();
      for (const mail of sink.messages) {
        const html = typeof mail.parsed.html === 'string' ? mail.parsed.html : '';
        // No image at all in what the platform writes; the newsletter's HTML is the organizer's (none here).
        expect(html).not.toMatch(/<img\b/i);
        expect(mail.parsed.attachments.filter((a) => a.contentType.startsWith('image/'))).toEqual([]);
        const links = [...`${html} ${mail.parsed.text ?? ''}`.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((m) => m[0].replace(/&amp;/g, '&'));
        const headerLinks = /^List-Unsubscribe:(.*(?:\r?\n[ \t].*)*)/im.exec(mail.raw.toString())?.[1].match(/https?:\/\/[^\s<>,]+/g) ?? [];
        for (const href of [...links, ...headerLinks]) {
          if (!href.startsWith('http://links.test/')) continue;
          const url = new URL(href);
          // Links point where they say: no other URL rides in the query.
          for (const value of url.searchParams.values()) expect(value).not.toMatch(/^(https?:|\/\/|www\.)/i);
          expect(url.search).not.toMatch(/https?%3A|https?:/i);
          ownLinks.add(url.pathname + url.search);
        }
      }
      expect(ownLinks.size).toBeGreaterThan(5);
      // And none of them answers a redirect (GET only looks; the links were not used here).
      for (const path of ownLinks) {
        const res = await http().get(path);
        expect({ path, redirect: res.status >= 300 && res.status < 400 }).toEqual({ path, redirect: false });
        expect(res.headers.location).toBeUndefined();
      }
    }, 60_000);
  });
});
