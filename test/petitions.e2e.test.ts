import Redis from 'ioredis';
import request from 'supertest';
import { Clock } from '../src/common/clock';
import { SuppressionRepository } from '../src/mail/suppression.repository';
import { PetitionsRepository } from '../src/petitions/petitions.repository';
import { SignatureRemindersTask } from '../src/petitions/signature-reminders.task';
import { createOrganizer } from './factories/organizer.factory';
import { createPetition, petitionPayload, signaturePayload, uniqueSlug } from './factories/petition.factory';
import { eventPayload, rsvpPayload, uniqueSlug as uniqueEventSlug } from './factories/event.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { actionLink, ReceivedMail, SmtpSink } from './support/smtp-sink';

describe('petitions (real PostgreSQL, Redis, SMTP)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizerKey: string;
  let viewerKey: string;
  const http = () => request(platform.api.getHttpServer());
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await platform.db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);

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

  async function sign(slug: string, payload: Record<string, unknown>) {
    const res = await http().post(`/api/v1/petitions/${slug}/signatures`).send(payload);
    expect(res.status).toBe(202);
    return res;
  }

  const linkPath = (mail: ReceivedMail): string => new URL(actionLink(mail)).pathname;

  async function confirm(mail: ReceivedMail): Promise<request.Response> {
    return http().post(linkPath(mail)).type('form').send('');
  }

  async function signAndConfirm(slug: string, payload: Record<string, unknown>): Promise<void> {
    const email = payload.email as string;
    const before = sink.to(email).length;
    await sign(slug, payload);
    const mails = await sink.waitFor(email, before + 1);
    expect((await confirm(mails[mails.length - 1])).status).toBe(200);
  }

  async function publicCount(slug: string): Promise<number> {
    const res = await http().get(`/api/v1/petitions/${slug}`);
    expect(res.status).toBe(200);
    return res.body.signatureCount as number;
  }

  /** The count is a few seconds behind by design: wait for it, then check it stays. */
  async function waitForCount(slug: string, expected: number, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen = -1;
    while (Date.now() < deadline) {
      seen = await publicCount(slug);
      if (seen === expected) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`count of ${slug} is ${seen}, expected ${expected}`);
  }

  async function settle(): Promise<void> {
    // Give the aggregator and the public cache time to show anything that would change.
    await new Promise((r) => setTimeout(r, 2_500));
  }

  describe('organizer side', () => {
    it('creates, reads, lists and updates petitions; slugs are unique; roles apply', async () => {
      const payload = petitionPayload({ status: 'draft', translations: { ar: { title: 'ع', summary: 'م', body: 'ن' } } });
      const created = await http().post('/api/v1/admin/petitions').auth(organizerKey, { type: 'bearer' }).send(payload);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        slug: payload.slug,
        status: 'draft',
        goal: 1000,
        goalSet: 1000,
        goalFixed: false,
        signatureCount: 0,
        translations: { ar: { title: 'ع', summary: 'م', body: 'ن' } },
      });
      const id = created.body.id as string;

      const again = await http().post('/api/v1/admin/petitions').auth(organizerKey, { type: 'bearer' }).send(payload);
      expect(again.status).toBe(409);
      const byViewer = await http().post('/api/v1/admin/petitions').auth(viewerKey, { type: 'bearer' }).send(petitionPayload());
      expect(byViewer.status).toBe(403);
      expect((await http().get('/api/v1/admin/petitions')).status).toBe(401);

      const read = await http().get(`/api/v1/admin/petitions/${id}`).auth(viewerKey, { type: 'bearer' });
      expect(read.status).toBe(200);
      expect(read.body.slug).toBe(payload.slug);
      const list = await http().get('/api/v1/admin/petitions?limit=500').auth(viewerKey, { type: 'bearer' });
      expect(list.body.items.map((p: { id: string }) => p.id)).toContain(id);

      const patched = await http()
        .patch(`/api/v1/admin/petitions/${id}`)
        .auth(organizerKey, { type: 'bearer' })
        .send({ status: 'open', title: 'Free them all' });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ status: 'open', title: 'Free them all', summary: payload.summary });
      const badSlug = await http()
        .patch(`/api/v1/admin/petitions/${id}`)
        .auth(organizerKey, { type: 'bearer' })
        .send({ slug: 'Not A Slug' });
      expect(badSlug.status).toBe(400);
      const unknown = await http().get(`/api/v1/admin/petitions/00000000-0000-4000-8000-000000000000`).auth(viewerKey, { type: 'bearer' });
      expect(unknown.status).toBe(404);

      const audit = await platform.db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY created_at`, [id]);
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['petition.create', 'petition.update']);
    });

    it('pages signatures with a cursor, pending ones included, for organizers only', async () => {
      const { id, slug } = await createPetition(platform.api);
      const emails = [uniqueEmail('page'), uniqueEmail('page'), uniqueEmail('page')];
      for (const email of emails)
        await sign(slug, signaturePayload({ email, referrer: { source: 'newsletter', url: 'https://x.example/a' } }));
      await sink.waitFor(emails[0]);
      await confirm(sink.to(emails[0])[0]);

      expect((await http().get(`/api/v1/admin/petitions/${id}/signatures`).auth(viewerKey, { type: 'bearer' })).status).toBe(403);
      const first = await http().get(`/api/v1/admin/petitions/${id}/signatures?limit=2`).auth(organizerKey, { type: 'bearer' });
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await http()
        .get(`/api/v1/admin/petitions/${id}/signatures?limit=2&cursor=${first.body.nextCursor}`)
        .auth(organizerKey, { type: 'bearer' });
      expect(second.body.items).toHaveLength(1);
      const all = [...first.body.items, ...second.body.items];
      expect(all.map((s: { email: string }) => s.email).sort()).toEqual([...emails].sort());
      expect(all.find((s: { email: string }) => s.email === emails[0]).status).toBe('confirmed');
      expect(all.filter((s: { status: string }) => s.status === 'pending')).toHaveLength(2);
      expect(all[0].referrer).toEqual({ source: 'newsletter', medium: null, campaign: null, url: 'https://x.example/a' });
    });
  });

  describe('public side', () => {
    it('hides drafts and unknown slugs; lists only open petitions', async () => {
      const draft = await createPetition(platform.api, { status: 'draft' });
      const open = await createPetition(platform.api);
      const closed = await createPetition(platform.api, { status: 'closed' });
      expect((await http().get(`/api/v1/petitions/${draft.slug}`)).status).toBe(404);
      expect((await http().get(`/api/v1/petitions/${uniqueSlug('nobody')}`)).status).toBe(404);
      expect((await http().get(`/api/v1/petitions/Not%20a%20slug`)).body).toMatchObject({ statusCode: 404, error: 'Not Found' });
      expect((await http().post(`/api/v1/petitions/${draft.slug}/signatures`).send(signaturePayload())).status).toBe(404);
      expect((await http().get(`/api/v1/petitions/${closed.slug}`)).body.status).toBe('closed');

      const res = await http().get(`/api/v1/petitions/${open.slug}`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(
        ['id', 'slug', 'title', 'summary', 'body', 'target', 'goal', 'signatureCount', 'status', 'language', 'createdAt'].sort(),
      );
      expect(res.body).toMatchObject({ id: open.id, slug: open.slug, status: 'open', signatureCount: 0, goal: 1000, language: 'en' });

      const docs = await http().get('/docs-json');
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining(['/api/v1/petitions/{slug}', '/api/v1/petitions/{slug}/signatures', '/api/v1/admin/petitions/{id}']),
      );

      const list = await http().get('/api/v1/petitions?limit=500');
      const slugs = list.body.items.map((p: { slug: string }) => p.slug);
      expect(slugs).toContain(open.slug);
      expect(slugs).not.toContain(draft.slug);
      expect(slugs).not.toContain(closed.slug);
    });

    it('serves the translation asked for by ?lang= or Accept-Language, else the petition’s own', async () => {
      const ar = { title: 'أطلقوا سراح الصحفيين', summary: 'ملخص', body: 'الصحافة ليست جريمة.' };
      const { slug } = await createPetition(platform.api, {
        translations: { ar, fr: { title: 'Libérez-les', summary: 'Résumé', body: 'Corps' } },
      });
      const arabic = await http().get(`/api/v1/petitions/${slug}?lang=ar`);
      expect(arabic.body).toMatchObject({ ...ar, language: 'ar' });
      const french = await http().get(`/api/v1/petitions/${slug}`).set('accept-language', 'de-DE, fr-CA;q=0.9, ar;q=0.5');
      expect(french.body).toMatchObject({ title: 'Libérez-les', language: 'fr' });
      const fallback = await http().get(`/api/v1/petitions/${slug}?lang=fa`);
      expect(fallback.body).toMatchObject({ title: 'Free the journalists', language: 'en' });
    });

    it('answers 410 for a closed petition and stores nothing', async () => {
      const { id, slug } = await createPetition(platform.api);
      await http().patch(`/api/v1/admin/petitions/${id}`).auth(organizerKey, { type: 'bearer' }).send({ status: 'closed' });
      const email = uniqueEmail('late');
      const res = await http().post(`/api/v1/petitions/${slug}/signatures`).send(signaturePayload({ email }));
      expect(res.status).toBe(410);
      expect(res.body).toMatchObject({ statusCode: 410, error: 'Gone' });
      expect(await count(`people WHERE email_normalized = $1`, [email])).toBe(0);
      expect(await count(`signatures WHERE petition_id = $1`, [id])).toBe(0);
    });

    it('refuses bad input with details and stores nothing', async () => {
      const { id, slug } = await createPetition(platform.api);
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ comment: 'x'.repeat(1001) }, 'comment'],
        [{ givenName: undefined }, 'givenName'],
        [{ country: undefined }, 'country'],
        [{ givenName: 'Eve\r\nBcc: x@example.org' }, 'givenName'],
        [{ isAdmin: true }, 'isAdmin'],
        [{ referrer: { source: 'x', secret: 1 } }, 'referrer.secret'],
        [{ referrer: { url: 'javascript:alert(1)' } }, 'referrer.url'],
        [{ publicName: 'yes' }, 'publicName'],
        [{ comment: 'lone\rcarriage return' }, 'comment'],
        [{ comment: 'bell\u0007' }, 'comment'],
        [{ comment: 'tab\there' }, 'comment'],
      ];
      for (const [patch, field] of cases) {
        const res = await http().post(`/api/v1/petitions/${slug}/signatures`).send(signaturePayload(patch));
        expect({ field, status: res.status }).toEqual({ field, status: 400 });
        expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
      }
      const ok = await http()
        .post(`/api/v1/petitions/${slug}/signatures`)
        .send(signaturePayload({ comment: `${'x'.repeat(990)}\nline two` }));
      expect(ok.status).toBe(202);
      expect(await count(`signatures WHERE petition_id = $1`, [id])).toBe(1);
      // A textarea's CRLF line breaks are accepted and stored as \n.
      const crlf = uniqueEmail('crlf');
      const windows = await http()
        .post(`/api/v1/petitions/${slug}/signatures`)
        .send(signaturePayload({ email: crlf, comment: 'line1\r\nline2\r\n\r\nline4' }));
      expect(windows.status).toBe(202);
      const [{ comment }] = await platform.db.query(
        `SELECT s.comment FROM signatures s JOIN people p ON p.id = s.person_id WHERE s.petition_id = $1 AND p.email_normalized = $2`,
        [id, crlf],
      );
      expect(comment).toBe('line1\nline2\n\nline4');
      // Names are trimmed: the spaces of "  Ali  " would reach emails and exports.
      const spaces = uniqueEmail('spaces');
      await sign(slug, signaturePayload({ email: spaces, givenName: '  Ali  ', familyName: '   ' }));
      const [names] = await platform.db.query(
        `SELECT s.given_name, s.family_name FROM signatures s JOIN people p ON p.id = s.person_id WHERE s.petition_id = $1 AND p.email_normalized = $2`,
        [id, spaces],
      );
      expect(names).toEqual({ given_name: 'Ali', family_name: null });

      // The join form's honeypot: a bot gets the same answer and leaves nothing behind.
      const bot = await http()
        .post(`/api/v1/petitions/${slug}/signatures`)
        .send(signaturePayload({ website: 'http://spam.example' }));
      expect([bot.status, bot.text]).toEqual([202, '{"status":"pending"}']);
      expect(await count(`signatures WHERE petition_id = $1`, [id])).toBe(3);
    });
  });

  describe('signing and confirming', () => {
    it('sign → 202 → email in the signer’s language → GET changes nothing → POST confirms → count +1', async () => {
      const { slug } = await createPetition(platform.api, {
        translations: { ar: { title: 'أطلقوا سراح الصحفيين', summary: 'م', body: 'ن' } },
      });
      const email = uniqueEmail('ar-signer');
      const res = await sign(
        slug,
        signaturePayload({ email, givenName: 'أمل', familyName: 'حداد', language: 'ar', country: 'LB', referrer: { campaign: 'spring' } }),
      );
      expect(res.text).toBe('{"status":"pending"}');
      const [mail] = await sink.waitFor(email);
      expect(mail.parsed.subject).toBe('أكّد توقيعك');
      expect(mail.parsed.html).toContain('<html lang="ar" dir="rtl">');
      expect(mail.parsed.text).toContain('مرحبًا،');
      expect(mail.parsed.text).toContain('«أطلقوا سراح الصحفيين»');
      expect(actionLink(mail)).toMatch(/^http:\/\/links\.test\/petitions\/confirm\/[A-Za-z0-9_-]{43}$/);

      const page = await http().get(linkPath(mail));
      expect(page.status).toBe(200);
      expect(page.text).toContain('<form method="post">');
      expect(
        await count(`signatures s JOIN people p ON p.id = s.person_id WHERE p.email_normalized = $1 AND s.status = 'pending'`, [email]),
      ).toBe(1);
      await settle();
      expect(await publicCount(slug)).toBe(0);

      const [first, second] = await Promise.all([confirm(mail), confirm(mail)]);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect([first.text, second.text].filter((t) => t.includes('توقيعك محتسب'))).toHaveLength(1);
      await waitForCount(slug, 1);

      // The signer's details reached the (unconfirmed until now) person; referrer kept on the signature.
      const [person] = await platform.db.query(
        `SELECT given_name, family_name, country, language, confirmed_at IS NOT NULL AS confirmed FROM people WHERE email_normalized = $1`,
        [email],
      );
      expect(person).toEqual({ given_name: 'أمل', family_name: 'حداد', country: 'LB', language: 'ar', confirmed: true });
      const [sig] = await platform.db.query(
        `SELECT referrer_campaign FROM signatures s JOIN people p ON p.id = s.person_id WHERE p.email_normalized = $1`,
        [email],
      );
      expect(sig.referrer_campaign).toBe('spring');
    });

    it('a second signature by the same address changes nothing', async () => {
      const { id, slug } = await createPetition(platform.api);
      const email = uniqueEmail('twice');
      await signAndConfirm(slug, signaturePayload({ email, givenName: 'Leila' }));
      await waitForCount(slug, 1);
      await sign(slug, signaturePayload({ email: email.toUpperCase(), givenName: 'Impostor', country: 'US' }));
      await sign(slug, signaturePayload({ email: `  ${email} `, givenName: 'Impostor' }));
      await settle();
      expect(await publicCount(slug)).toBe(1);
      expect(await count(`signatures WHERE petition_id = $1`, [id])).toBe(1);
      const [row] = await platform.db.query(`SELECT given_name, country, status FROM signatures WHERE petition_id = $1`, [id]);
      expect(row).toEqual({ given_name: 'Leila', country: 'FR', status: 'confirmed' });
      // Confirmed already: nothing more to mail.
      expect(sink.to(email)).toHaveLength(1);
    });

    it('keeps a confirmed person’s details; the signature keeps what the signer typed', async () => {
      const { slug } = await createPetition(platform.api);
      const other = await createPetition(platform.api);
      const email = uniqueEmail('owner');
      await signAndConfirm(slug, signaturePayload({ email, givenName: 'Leila', familyName: 'Karimi', country: 'FR' }));
      await signAndConfirm(other.slug, signaturePayload({ email, givenName: 'Someone', familyName: 'Else', country: 'US' }));
      const [person] = await platform.db.query(`SELECT given_name, family_name, country FROM people WHERE email_normalized = $1`, [email]);
      expect(person).toEqual({ given_name: 'Leila', family_name: 'Karimi', country: 'FR' });
    });

    it('subscribe: true joins the default list only once the link is used, with a consent record', async () => {
      const { slug } = await createPetition(platform.api);
      const email = uniqueEmail('subscriber');
      await sign(slug, signaturePayload({ email, subscribe: true }));
      const [mail] = await sink.waitFor(email);
      const subscribed = () =>
        count(
          `subscriptions s JOIN people p ON p.id = s.person_id JOIN lists l ON l.id = s.list_id
           WHERE p.email_normalized = $1 AND s.status = 'subscribed' AND l.is_default`,
          [email],
        );
      expect(await subscribed()).toBe(0);
      await confirm(mail);
      expect(await subscribed()).toBe(1);
      const consents = await platform.db.query(
        `SELECT c.action, c.form, c.text_version, c.list_slugs FROM consent_records c JOIN people p ON p.id = c.person_id WHERE p.email_normalized = $1`,
        [email],
      );
      expect(consents).toEqual([
        { action: 'petition-signature', form: `petition:${slug}`, text_version: 'petition-2026-11', list_slugs: ['movement'] },
      ]);

      const quiet = uniqueEmail('no-subscribe');
      await signAndConfirm(slug, signaturePayload({ email: quiet }));
      expect(await count(`subscriptions s JOIN people p ON p.id = s.person_id WHERE p.email_normalized = $1`, [quiet])).toBe(0);
    });

    it('20 parallel requests by one address make one signature', async () => {
      const { id, slug } = await createPetition(platform.api);
      const email = uniqueEmail('burst');
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => http().post(`/api/v1/petitions/${slug}/signatures`).send(signaturePayload({ email }))),
      );
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
      expect(await count(`signatures WHERE petition_id = $1`, [id])).toBe(1);
      expect(await count(`people WHERE email_normalized = $1`, [email])).toBe(1);
      const [{ sign_requests }] = await platform.db.query(`SELECT sign_requests FROM signatures WHERE petition_id = $1`, [id]);
      expect(sign_requests).toBe(20);
      // Repeats may resend the link, within the daily cap of confirmation emails.
      await sink.waitFor(email);
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && (await count(`signatures WHERE petition_id = $1 AND handled_requests < sign_requests`, [id])) > 0) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(sink.to(email).length).toBeLessThanOrEqual(3);
    });

    it("the daily cap limits repeats of one action, not a new address's first actions", async () => {
      // Join, two petitions, two events: five first-time actions, five links.
      const email = uniqueEmail('busy');
      expect((await http().post('/api/v1/signups').send(signupPayload({ email }))).status).toBe(202);
      await sink.waitFor(email, 1);
      for (let i = 0; i < 2; i++) {
        const { slug } = await createPetition(platform.api);
        await sign(slug, signaturePayload({ email }));
        await sink.waitFor(email, 2 + i);
      }
      for (let i = 0; i < 2; i++) {
        const event = await http()
          .post('/api/v1/admin/events')
          .auth(organizerKey, { type: 'bearer' })
          .send(eventPayload({ slug: uniqueEventSlug('cap-event') }));
        expect(event.status).toBe(201);
        expect((await http().post(`/api/v1/events/${event.body.slug}/rsvps`).send(rsvpPayload({ email }))).status).toBe(202);
        await sink.waitFor(email, 4 + i);
      }
      expect(sink.to(email)).toHaveLength(5);

      // One petition signed again and again: three links a day, then nothing.
      const { id, slug } = await createPetition(platform.api);
      const repeater = uniqueEmail('repeater');
      for (let i = 0; i < 5; i++) {
        await sign(slug, signaturePayload({ email: repeater }));
        const deadline = Date.now() + 10_000;
        while (Date.now() < deadline && (await count(`signatures WHERE petition_id = $1 AND handled_requests < sign_requests`, [id])) > 0) {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      expect(await count(`signatures WHERE petition_id = $1 AND handled_requests = 5`, [id])).toBe(1);
      expect(sink.to(repeater)).toHaveLength(3);
      // The same address's first signature of another petition still gets its link.
      const other = await createPetition(platform.api);
      await sign(other.slug, signaturePayload({ email: repeater }));
      await sink.waitFor(repeater, 4);
    });

    it('200 distinct parallel signers, all confirmed, count exactly 200', async () => {
      const { id, slug } = await createPetition(platform.api);
      const emails = Array.from({ length: 200 }, (_, i) => uniqueEmail(`crowd${i}`));
      const answers = await Promise.all(
        emails.map((email) => http().post(`/api/v1/petitions/${slug}/signatures`).send(signaturePayload({ email }))),
      );
      expect(answers.filter((a) => a.status === 202)).toHaveLength(200);
      const mails = await Promise.all(emails.map((email) => sink.waitFor(email, 1, 60_000)));
      for (let i = 0; i < mails.length; i += 50) {
        const batch = await Promise.all(mails.slice(i, i + 50).map(([mail]) => confirm(mail)));
        expect(batch.every((r) => r.status === 200)).toBe(true);
      }
      expect(await count(`signatures WHERE petition_id = $1 AND status = 'confirmed'`, [id])).toBe(200);
      await waitForCount(slug, 200);
      await settle();
      expect(await publicCount(slug)).toBe(200);
      // The goal ladder: 1,000 not reached yet, so the organizer's goal stands.
      expect((await http().get(`/api/v1/petitions/${slug}`)).body.goal).toBe(1000);
      // No hot row: the petition row was never touched by signing.
      const [{ updated }] = await platform.db.query(`SELECT updated_at = created_at AS updated FROM petitions WHERE id = $1`, [id]);
      expect(updated).toBe(true);
    }, 120_000);

    it('shows the next goal once the goal is reached, unless the organizer fixed it', async () => {
      const ladder = await createPetition(platform.api, { goal: 2 });
      const fixed = await createPetition(platform.api, { goal: 2, goalFixed: true });
      for (const { slug } of [ladder, fixed]) {
        await signAndConfirm(slug, signaturePayload({ email: uniqueEmail('goal') }));
        await signAndConfirm(slug, signaturePayload({ email: uniqueEmail('goal') }));
        await waitForCount(slug, 2);
      }
      expect((await http().get(`/api/v1/petitions/${ladder.slug}`)).body.goal).toBe(100);
      expect((await http().get(`/api/v1/petitions/${fixed.slug}`)).body.goal).toBe(2);
    });
  });

  describe('public signer list', () => {
    it('lists confirmed signers who chose publicName, with only name, country, comment and time', async () => {
      const { slug } = await createPetition(platform.api);
      await signAndConfirm(
        slug,
        signaturePayload({
          email: uniqueEmail('named'),
          givenName: 'Amal',
          familyName: 'Haddad',
          country: 'LB',
          publicName: true,
          comment: 'حرية ✊🏽',
          postalCode: '1107',
        }),
      );
      await signAndConfirm(
        slug,
        signaturePayload({
          email: uniqueEmail('nocomment'),
          givenName: 'مهر\u200cناز',
          familyName: 'رضایی',
          // Not IR: people from a protected country never appear in public (test/safety.e2e.test.ts).
          country: 'AF',
          publicName: true,
        }),
      );
      await signAndConfirm(slug, signaturePayload({ email: uniqueEmail('private'), givenName: 'Hidden', publicName: false }));
      await sign(slug, signaturePayload({ email: uniqueEmail('unconfirmed'), givenName: 'Pending', publicName: true }));
      await settle();

      const res = await http().get(`/api/v1/petitions/${slug}/signatures`);
      expect(res.status).toBe(200);
      expect(Object.keys(res.body)).toEqual(['items']);
      expect(res.body.items).toEqual([
        { name: 'مهر\u200cناز ر.', country: 'AF', createdAt: expect.stringMatching(/Z$/) },
        { name: 'Amal H.', country: 'LB', comment: 'حرية ✊🏽', createdAt: expect.stringMatching(/Z$/) },
      ]);
      expect(res.text).not.toMatch(/@|1107|Haddad|Hidden|Pending|[0-9a-f]{8}-[0-9a-f]{4}-/);
    });
  });

  describe('counts', () => {
    it('are kept off the petition row and survive a Redis flush; a recount rebuilds them from PostgreSQL', async () => {
      const { id, slug } = await createPetition(platform.api);
      for (let i = 0; i < 3; i++) await signAndConfirm(slug, signaturePayload({ email: uniqueEmail('flush') }));
      await waitForCount(slug, 3);

      const redis = new Redis(process.env.REDIS_URL as string);
      await redis.flushdb();
      redis.disconnect();
      await settle();
      expect(await publicCount(slug)).toBe(3);

      // A count gone wrong (rows erased behind its back) is set right from the signatures.
      await platform.db.query(`UPDATE petition_counts SET confirmed_count = 99 WHERE petition_id = $1`, [id]);
      await platform.worker!.get(PetitionsRepository).recount(id);
      await settle();
      expect(await publicCount(slug)).toBe(3);
      await platform.db.query(`DELETE FROM petition_counts WHERE petition_id = $1`, [id]);
      await platform.worker!.get(PetitionsRepository).recount(id);
      await settle();
      expect(await publicCount(slug)).toBe(3);
    });
  });

  describe('reminder', () => {
    it('is sent once, 24 hours after the email, in the signer’s language, never to a suppressed address', async () => {
      const { slug } = await createPetition(platform.api);
      const email = uniqueEmail('forgetful');
      const blocked = uniqueEmail('blocked');
      await sign(slug, signaturePayload({ email, language: 'fr', givenName: 'Zoé' }));
      await sign(slug, signaturePayload({ email: blocked }));
      await sink.waitFor(email);
      await sink.waitFor(blocked);
      await platform.api.get(SuppressionRepository).add(blocked, 'complaint');

      const reminders = platform.worker!.get(SignatureRemindersTask);
      const clock = platform.worker!.get(Clock);
      // Not yet: 23 hours later.
      const spy = jest.spyOn(clock, 'now').mockReturnValue(new Date(Date.now() + 23 * 3_600_000));
      try {
        await reminders.runOnce();
        expect(sink.to(email)).toHaveLength(1);

        spy.mockReturnValue(new Date(Date.now() + 25 * 3_600_000));
        await Promise.all([reminders.runOnce(), reminders.runOnce()]);
        await reminders.runOnce();
        const mails = await sink.waitFor(email, 2);
        expect(mails).toHaveLength(2);
        expect(mails[1].parsed.subject).toBe('Votre signature n’est pas encore comptée');
        expect(mails[1].parsed.text).toContain('Bonjour,');
        expect(mails[1].parsed.text).not.toContain('Zoé');
        expect(sink.to(blocked)).toHaveLength(1);

        // The reminder's link confirms too.
        expect((await confirm(mails[1])).text).toContain('Votre signature compte');
        await waitForCount(slug, 1);
      } finally {
        spy.mockRestore();
      }
    });
  });
});
