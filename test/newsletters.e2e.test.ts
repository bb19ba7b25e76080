import request from 'supertest';
import { Clock } from '../src/common/clock';
import { SuppressionRepository } from '../src/mail/suppression.repository';
import { MailingsScheduler } from '../src/mailings/mailings-scheduler.service';
import { eventPayload } from './factories/event.factory';
import { createOrganizer } from './factories/organizer.factory';
import { createPetition } from './factories/petition.factory';
import { createList, createSubscriber, mailingPayload } from './factories/mailing.factory';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';
import { ReceivedMail, SmtpSink } from './support/smtp-sink';

const WEBHOOK_SECRET = 'webhook-secret-0123456789abcdef';

describe('newsletters (real PostgreSQL, Redis, SMTP)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizer: string;
  let viewer: string;
  const http = () => request(platform.api.getHttpServer());
  const admin = (method: 'get' | 'post', path: string, key = organizer) => http()[method](path).set('authorization', `Bearer ${key}`);

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url, EMAIL_WEBHOOK_SECRET: WEBHOOK_SECRET, MAIL_RATE_PER_SECOND: '0' });
    organizer = (await createOrganizer(platform.api, 'organizer')).apiKey;
    viewer = (await createOrganizer(platform.api, 'viewer')).apiKey;
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  async function createMailing(payload: Record<string, unknown>): Promise<string> {
    const res = await admin('post', '/api/v1/admin/mailings').send(payload);
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('draft');
    return res.body.id as string;
  }

  async function mailing(id: string): Promise<{ status: string; stats: Record<string, number> }> {
    const res = await admin('get', `/api/v1/admin/mailings/${id}`, viewer);
    expect(res.status).toBe(200);
    return res.body;
  }

  async function sendAndWait(id: string): Promise<{ status: string; stats: Record<string, number> }> {
    const res = await admin('post', `/api/v1/admin/mailings/${id}/send`);
    expect(res.status).toBe(200);
    await waitUntil(async () => (await mailing(id)).status === 'sent', 20_000, `mailing ${id} to be sent`);
    return mailing(id);
  }

  const header = (mail: ReceivedMail, name: string): string => {
    const line = mail.raw
      .toString('utf8')
      .split(/\r?\n\r?\n/)[0]
      .replace(/\r?\n[ \t]+/g, ' ')
      .split(/\r?\n/)
      .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    return line ? line.slice(name.length + 1).trim() : '';
  };

  describe('lists', () => {
    it('organizers create lists; viewers read them; slugs are unique', async () => {
      const slug = `news-${Date.now()}`;
      const created = await admin('post', '/api/v1/admin/lists').send({ slug, name: 'Monthly news' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        slug,
        name: 'Monthly news',
        isDefault: false,
        public: false,
        createdAt: expect.any(String),
      });
      expect((await admin('post', '/api/v1/admin/lists').send({ slug, name: 'Again' })).status).toBe(409);
      expect((await admin('post', '/api/v1/admin/lists', viewer).send({ slug: `${slug}-v`, name: 'No' })).status).toBe(403);
      expect((await http().get('/api/v1/admin/lists')).status).toBe(401);
      expect((await admin('post', '/api/v1/admin/lists').send({ slug: 'Bad Slug', name: 'x' })).status).toBe(400);

      const first = await admin('get', '/api/v1/admin/lists?limit=1', viewer);
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(1);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const all: string[] = [];
      let cursor: string | null = null;
      do {
        const page = await admin('get', `/api/v1/admin/lists?limit=2${cursor ? `&cursor=${cursor}` : ''}`, viewer);
        all.push(...page.body.items.map((l: { slug: string }) => l.slug));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(all).toContain(slug);
      expect(new Set(all).size).toBe(all.length);
    });
  });

  describe('sending', () => {
    it('sends exactly one email to each eligible person, in their language, and none to anyone else', async () => {
      const list = await createList(platform.db, 'The "Weekly" <News>');
      const other = await createList(platform.db, 'Other list');
      const en = await createSubscriber(platform.db, { givenName: 'Sam', language: 'en', lists: [{ id: list.id }] });
      const ar = await createSubscriber(platform.db, { givenName: 'أمل', language: 'ar', lists: [{ id: list.id }] });
      const fa = await createSubscriber(platform.db, { givenName: null, language: 'fa-IR', lists: [{ id: list.id }, { id: other.id }] });
      const de = await createSubscriber(platform.db, { givenName: 'Jo', language: 'de', lists: [{ id: list.id }] });
      const unconfirmed = await createSubscriber(platform.db, { confirmed: false, lists: [{ id: list.id, status: 'pending' }] });
      const pending = await createSubscriber(platform.db, { lists: [{ id: list.id, status: 'pending' }] });
      const unsubscribed = await createSubscriber(platform.db, { lists: [{ id: list.id, status: 'unsubscribed' }] });
      const suppressed = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      await platform.api.get(SuppressionRepository).add(suppressed.email, 'complaint');
      const elsewhere = await createSubscriber(platform.db, { lists: [{ id: other.id }] });

      const id = await createMailing(
        mailingPayload([list.slug], {
          content: {
            en: {
              subject: 'News for {{givenName}}',
              html: '<p>Hello {{givenName}} &amp; co,</p><p>Read <a href="https://movement.test/n">this</a>.</p>',
            },
            ar: { subject: 'أخبار إلى {{givenName}}', html: '<p>مرحبًا {{givenName}}</p>' },
            fa: { subject: 'خبر برای {{givenName}}', html: '<p>سلام {{givenName}}</p>', text: 'سلام {{givenName}}، متن ساده.' },
          },
        }),
      );
      const done = await sendAndWait(id);

      for (const p of [en, ar, fa, de]) expect(sink.to(p.email)).toHaveLength(1);
      for (const p of [unconfirmed, pending, unsubscribed, suppressed, elsewhere]) expect(sink.to(p.email)).toHaveLength(0);
      expect(done.stats).toEqual(
        expect.objectContaining({ recipients: 4, sent: 4, failed: 0, bounced: 0, unsubscribed: 0, skipped: 1, pending: 0, uncertain: 0 }),
      );
      // The suppressed address was planned (only its keyed hash is known) and skipped: never a recipient.
      expect(done.stats.recipients).toBe(done.stats.sent + done.stats.failed);

      const [enMail] = sink.to(en.email);
      expect(enMail.parsed.subject).toBe('News for Sam');
      expect(enMail.parsed.html).toContain('<html lang="en" dir="ltr">');
      expect(enMail.parsed.text).toContain('Hello Sam & co,');
      expect(enMail.parsed.text).toContain('this (https://movement.test/n)');
      const [arMail] = sink.to(ar.email);
      expect(arMail.parsed.subject).toBe('أخبار إلى أمل');
      expect(arMail.parsed.html).toContain('<html lang="ar" dir="rtl">');
      const [faMail] = sink.to(fa.email);
      // No name: a graceful fallback, in the reader's language; the organizer's own text part.
      expect(faMail.parsed.subject).toBe('خبر برای دوست گرامی');
      expect(faMail.parsed.html).toContain('dir="rtl"');
      expect(faMail.parsed.text).toContain('سلام دوست گرامی، متن ساده.');
      const [deMail] = sink.to(de.email);
      expect(deMail.parsed.subject).toBe('News for Jo');

      // Headers, exactly.
      const deliveries: Array<{ id: string; email: string }> = await platform.db.query(
        `SELECT d.id, p.email FROM mailing_deliveries d JOIN people p ON p.id = d.person_id WHERE d.mailing_id = $1 AND d.status = 'sent'`,
        [id],
      );
      const messageIds = new Set<string>();
      for (const d of deliveries) {
        const [mail] = sink.to(d.email);
        const unsubscribe = header(mail, 'List-Unsubscribe');
        expect(unsubscribe).toMatch(/^<http:\/\/links\.test\/u\/[A-Za-z0-9_-]{64}>$/);
        // On one raw line, not folded: what one-click parsers and simple header checks read.
        expect(`\r\n${mail.raw.toString()}`).toContain(`\r\nList-Unsubscribe: ${unsubscribe}\r\n`);
        expect(header(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
        expect(header(mail, 'List-Id')).toBe(`"The Weekly News" <${list.slug}.movement.test>`);
        expect(header(mail, 'Message-ID')).toBe(`<${d.id}@movement.test>`);
        messageIds.add(header(mail, 'Message-ID'));
        // The visible link is the header's link, in both parts.
        const url = unsubscribe.slice(1, -1);
        expect(mail.parsed.html).toContain(`href="${url}"`);
        expect(mail.parsed.text).toContain(url);
        expect(mail.parsed.text).toMatch(/http:\/\/links\.test\/preferences\/[A-Za-z0-9_-]{43}/);
      }
      expect(messageIds.size).toBe(4);
    });

    it('narrows the audience by country and language, never widening it beyond the lists', async () => {
      const list = await createList(platform.db);
      const frFr = await createSubscriber(platform.db, { language: 'fr', country: 'FR', lists: [{ id: list.id }] });
      const frCa = await createSubscriber(platform.db, { language: 'fr-CA', country: 'CA', lists: [{ id: list.id }] });
      const enFr = await createSubscriber(platform.db, { language: 'en', country: 'FR', lists: [{ id: list.id }] });
      const frFrElsewhere = await createSubscriber(platform.db, { language: 'fr', country: 'FR', lists: [] });
      const noCountry = await createSubscriber(platform.db, { language: 'fr', lists: [{ id: list.id }] });

      const id = await createMailing(
        mailingPayload([list.slug], {
          audience: { lists: [list.slug], countries: ['fr', 'CA'], languages: ['FR'] },
          content: { fr: { subject: 'Bonjour {{givenName}}', html: '<p>Bonjour</p>' }, en: { subject: 'Hi', html: '<p>Hi</p>' } },
          defaultLanguage: 'en',
        }),
      );
      const done = await sendAndWait(id);
      expect(sink.to(frFr.email)).toHaveLength(1);
      expect(sink.to(frCa.email)).toHaveLength(1);
      expect(sink.to(frCa.email)[0].parsed.subject).toBe('Bonjour ami·e');
      for (const p of [enFr, frFrElsewhere, noCountry]) expect(sink.to(p.email)).toHaveLength(0);
      expect(done.stats.recipients).toBe(2);
      expect((await mailing(id)).stats.sent).toBe(2);
    });

    // What the narrowing does when sending: test/newsletters-audience.e2e.test.ts.
    it('accepts petition and event narrowing and stores it', async () => {
      const list = await createList(platform.db);
      const petition = (await createPetition(platform.api)).id;
      const event = (await admin('post', '/api/v1/admin/events').send(eventPayload()).expect(201)).body.id as string;
      const res = await admin('post', '/api/v1/admin/mailings').send(
        mailingPayload([list.slug], { audience: { lists: [list.slug], petitions: [petition], events: [event] } }),
      );
      expect(res.status).toBe(201);
      expect(res.body.audience).toEqual({ lists: [list.slug], countries: [], languages: [], petitions: [petition], events: [event] });
    });

    it('lists mailings, newest first, a page at a time (viewers may read)', async () => {
      const list = await createList(platform.db);
      const a = await createMailing(mailingPayload([list.slug], { name: 'First of two' }));
      const b = await createMailing(mailingPayload([list.slug], { name: 'Second of two' }));
      const page = await admin('get', '/api/v1/admin/mailings?limit=1', viewer);
      expect(page.status).toBe(200);
      expect(page.body.items.map((m: { id: string }) => m.id)).toEqual([b]);
      const next = await admin('get', `/api/v1/admin/mailings?limit=1&cursor=${page.body.nextCursor}`, viewer);
      expect(next.body.items.map((m: { id: string }) => m.id)).toEqual([a]);
      expect(next.body.items[0]).toEqual(
        expect.objectContaining({ status: 'draft', audience: expect.objectContaining({ lists: [list.slug] }) }),
      );
    });

    it('refuses bad mailings with field details', async () => {
      const list = await createList(platform.db);
      const bad = async (payload: Record<string, unknown>, field: string) => {
        const res = await admin('post', '/api/v1/admin/mailings').send(payload);
        expect(res.status).toBe(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      };
      await bad(mailingPayload(['no-such-list']), 'audience.lists');
      await bad(mailingPayload([list.slug], { defaultLanguage: 'fr' }), 'defaultLanguage');
      await bad(mailingPayload([list.slug], { content: { en: { subject: 'a\nb', html: '<p>x</p>' } } }), 'content.en.subject');
      await bad(mailingPayload([list.slug], { content: { en: { subject: 's', html: '<p>x</p>', js: 'x' } } }), 'content.en.js');
      await bad(mailingPayload([list.slug], { content: { en: 'x' } }), 'content.en');
      await bad(mailingPayload([list.slug], { content: { 'not a tag': { subject: 's', html: '<p>x</p>' } } }), 'content');
      await bad(mailingPayload([list.slug], { content: {} }), 'content');

      // Every bad field in one answer, at every depth.
      const fieldsOf = async (payload: Record<string, unknown>): Promise<string[]> => {
        const res = await admin('post', '/api/v1/admin/mailings').send(payload);
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
        return (res.body.details as Array<{ field: string }>).map((d) => d.field).sort();
      };
      expect(await fieldsOf(mailingPayload([list.slug], { name: '', content: { en: { subject: '', html: '' } } }))).toEqual([
        'content.en.html',
        'content.en.subject',
        'name',
      ]);
      const base = mailingPayload([list.slug]);
      expect(
        await fieldsOf({
          ...base,
          audience: { ...(base.audience as Record<string, unknown>), foo: 1 },
          content: { en: { subject: 's', html: '<p>{{> partial}}</p>', bar: 1 }, fr: { subject: 'a\nb', html: '<p>x</p>' } },
        }),
      ).toEqual(['audience.foo', 'content.en.bar', 'content.en.html', 'content.fr.subject']);
      expect((await admin('post', '/api/v1/admin/mailings', viewer).send(mailingPayload([list.slug]))).status).toBe(403);
    });

    it('refuses templates that reach for anything but the fixed variables, and renders nothing secret', async () => {
      const list = await createList(platform.db);
      for (const html of [
        '<p>{{process.env.APP_SECRET}}</p>',
        '<p>{{constructor}}</p>',
        '<p>{{givenName.constructor.constructor}}</p>',
        '<p>{{#givenName}}{{toString}}{{/givenName}}</p>',
        '<p>{{> secrets}}</p>',
        '<p>{{{givenName}}}</p>',
        '<p>{{=<% %>=}}<% process %></p>',
        '<p>{{#unclosed}}</p>',
      ]) {
        const res = await admin('post', '/api/v1/admin/mailings').send(
          mailingPayload([list.slug], { content: { en: { subject: 's', html } } }),
        );
        expect(res.status).toBe(400);
        expect(res.body.details[0].field).toBe('content.en.html');
      }
      // What passes is the fixed view only: a name holding markup arrives escaped, no secret anywhere.
      const person = await createSubscriber(platform.db, { givenName: '<img src=x onerror=alert(1)>', lists: [{ id: list.id }] });
      const id = await createMailing(
        mailingPayload([list.slug], {
          content: { en: { subject: '{{givenName}}', html: '<p>{{givenName}}</p>' } },
        }),
      );
      await sendAndWait(id);
      const [mail] = sink.to(person.email);
      expect(mail.parsed.html).toContain('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
      expect(mail.parsed.html).not.toContain('<img');
      expect(mail.raw.toString()).not.toContain('test-secret-0123456789abcdef');
    });
  });

  describe('unsubscribe and preferences', () => {
    async function sentTo(
      listName = 'Updates',
    ): Promise<{ list: { id: string; slug: string }; person: { id: string; email: string }; url: string; mailingId: string }> {
      const list = await createList(platform.db, listName);
      const person = await createSubscriber(platform.db, { givenName: 'Ana', language: 'fr', lists: [{ id: list.id }] });
      const mailingId = await createMailing(mailingPayload([list.slug]));
      await sendAndWait(mailingId);
      const [mail] = sink.to(person.email);
      return { list, person, url: header(mail, 'List-Unsubscribe').slice(1, -1), mailingId };
    }
    const status = async (personId: string, listId: string): Promise<string> =>
      (await platform.db.query(`SELECT status FROM subscriptions WHERE person_id = $1 AND list_id = $2`, [personId, listId]))[0].status;

    it('GET shows a page and changes nothing; a form-urlencoded one-click POST unsubscribes at once, 200, no redirect, no cookie', async () => {
      const { list, person, url, mailingId } = await sentTo();
      const path = new URL(url).pathname;
      const page = await http().get(path);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<form method="post">');
      expect(page.text).toContain('Updates');
      expect(await status(person.id, list.id)).toBe('subscribed');

      const res = await http().post(path).type('form').send('List-Unsubscribe=One-Click');
      expect(res.status).toBe(200);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(res.text).toContain('désabonné');
      expect(await status(person.id, list.id)).toBe('unsubscribed');
      expect((await mailing(mailingId)).stats.unsubscribed).toBe(1);
      // Again: still 200, still unsubscribed.
      expect((await http().post(path).type('form').send('List-Unsubscribe=One-Click')).status).toBe(200);

      // The next newsletter to that list does not reach them.
      const next = await createMailing(mailingPayload([list.slug]));
      await sendAndWait(next);
      expect(sink.to(person.email)).toHaveLength(1);
    });

    it('a multipart one-click POST unsubscribes too', async () => {
      const { list, person, url } = await sentTo();
      const res = await http().post(new URL(url).pathname).field('List-Unsubscribe', 'One-Click');
      expect(res.status).toBe(200);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['set-cookie']).toBeUndefined();
      expect(await status(person.id, list.id)).toBe('unsubscribed');
      // Multipart stays refused everywhere else.
      expect((await http().post('/api/v1/signups').field('email', 'x@example.org')).status).toBe(415);
    });

    it('a forged or altered token does nothing', async () => {
      const { list, person, url } = await sentTo();
      const path = new URL(url).pathname;
      const altered = path.slice(0, -2) + (path.endsWith('AA') ? 'AB' : 'AA');
      expect((await http().post(altered).type('form').send('List-Unsubscribe=One-Click')).status).toBe(404);
      expect((await http().post('/u/not-a-token').type('form').send('List-Unsubscribe=One-Click')).status).toBe(404);
      expect(await status(person.id, list.id)).toBe('subscribed');
    });

    it('the preferences page shows the person’s lists and changes them on POST only', async () => {
      const { list, person } = await sentTo('Campaign news');
      const second = await createList(platform.db, 'Local group');
      await platform.db.query(
        `INSERT INTO subscriptions (person_id, list_id, status, subscribed_at) VALUES ($1, $2, 'subscribed', now())`,
        [person.id, second.id],
      );
      const mail = sink.to(person.email)[0];
      const prefs = /http:\/\/links\.test(\/preferences\/[A-Za-z0-9_-]{43})/.exec(mail.parsed.text ?? '')![1];

      const page = await http().get(prefs);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Campaign news');
      expect(page.text).toContain('Local group');
      expect(page.text.match(/checked/g)).toHaveLength(2);
      expect(await status(person.id, list.id)).toBe('subscribed');

      const saved = await http().post(prefs).type('form').send(`form=preferences&lists=${second.id}`);
      expect(saved.status).toBe(200);
      expect(await status(person.id, list.id)).toBe('unsubscribed');
      expect(await status(person.id, second.id)).toBe('subscribed');
      const back = await http().post(prefs).type('form').send(`form=preferences&lists=${second.id}&lists=${list.id}`);
      expect(back.status).toBe(200);
      expect(await status(person.id, list.id)).toBe('subscribed');
      expect((await http().get('/preferences/AAAA')).status).toBe(404);
    });
  });

  describe('bounces and complaints', () => {
    const event = (body: Record<string, unknown>, secret: string | null = WEBHOOK_SECRET) => {
      const req = http().post('/api/v1/webhooks/email-events');
      return (secret === null ? req : req.set('x-webhook-secret', secret)).send(body);
    };

    it('refuses a missing or wrong secret', async () => {
      expect((await event({ type: 'bounce', email: 'a@example.org', permanent: true }, null)).status).toBe(401);
      expect((await event({ type: 'bounce', email: 'a@example.org', permanent: true }, 'wrong')).status).toBe(401);
      expect((await event({ type: 'bounce', email: 'a@example.org', permanent: true }, `${WEBHOOK_SECRET}x`)).status).toBe(401);
      expect((await event({ type: 'nope', email: 'a@example.org' })).status).toBe(400);
    });

    it('a permanent bounce or a complaint suppresses the address before the next send and is counted; a soft bounce does not', async () => {
      const list = await createList(platform.db);
      const bouncer = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const complainer = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const soft = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const first = await createMailing(mailingPayload([list.slug]));
      await sendAndWait(first);

      expect((await event({ type: 'bounce', email: bouncer.email.toUpperCase(), permanent: true })).status).toBe(202);
      expect((await event({ type: 'complaint', email: complainer.email })).status).toBe(202);
      expect((await event({ type: 'bounce', email: soft.email, permanent: false })).status).toBe(202);
      expect((await event({ type: 'bounce', email: 'stranger@example.org', permanent: true })).body).toEqual({ status: 'accepted' });
      const stats = (await mailing(first)).stats;
      expect(stats).toEqual(expect.objectContaining({ sent: 3, bounced: 1, complaints: 1 }));

      const second = await createMailing(mailingPayload([list.slug]));
      const done = await sendAndWait(second);
      expect(sink.to(bouncer.email)).toHaveLength(1);
      expect(sink.to(complainer.email)).toHaveLength(1);
      expect(sink.to(soft.email)).toHaveLength(2);
      expect(done.stats).toEqual(expect.objectContaining({ sent: 1, skipped: 2 }));
    });

    it('an SMTP 5xx fails the delivery as a hard bounce; a 4xx is retried and delivered', async () => {
      const list = await createList(platform.db);
      const refused = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const id = await createMailing(mailingPayload([list.slug]));
      sink.refuse = { code: 550, remaining: 1 };
      const done = await sendAndWait(id);
      expect(done.stats).toEqual(expect.objectContaining({ recipients: 1, sent: 0, failed: 1, bounced: 1 }));
      expect(await platform.api.get(SuppressionRepository).isSuppressed(refused.email)).toBe(true);

      const list2 = await createList(platform.db);
      const later = await createSubscriber(platform.db, { lists: [{ id: list2.id }] });
      const id2 = await createMailing(mailingPayload([list2.slug]));
      sink.refuse = { code: 451, remaining: 1 };
      const done2 = await sendAndWait(id2);
      expect(sink.to(later.email)).toHaveLength(1);
      expect(done2.stats).toEqual(expect.objectContaining({ sent: 1, failed: 0, bounced: 0 }));
      const [row] = await platform.db.query(`SELECT attempts FROM mailing_deliveries WHERE mailing_id = $1`, [id2]);
      expect(row.attempts).toBe(2);
    }, 40_000);
  });

  describe('scheduling and cancelling', () => {
    it('a future sendAt waits (in the database) until its time; cancelling a scheduled mailing sends nothing', async () => {
      const list = await createList(platform.db);
      const person = await createSubscriber(platform.db, { lists: [{ id: list.id }] });
      const sendAt = new Date(Date.now() + 3_600_000);
      const id = await createMailing(mailingPayload([list.slug], { sendAt: sendAt.toISOString() }));
      const res = await admin('post', `/api/v1/admin/mailings/${id}/send`);
      expect(res.body.status).toBe('scheduled');
      expect((await admin('post', `/api/v1/admin/mailings/${id}/send`)).status).toBe(409);
      const scheduler = platform.worker!.get(MailingsScheduler);
      await scheduler.runOnce();
      expect((await mailing(id)).status).toBe('scheduled');

      const cancelled = await createMailing(mailingPayload([list.slug], { sendAt: sendAt.toISOString() }));
      await admin('post', `/api/v1/admin/mailings/${cancelled}/send`);
      expect((await admin('post', `/api/v1/admin/mailings/${cancelled}/cancel`)).body.status).toBe('cancelled');

      const clock = jest.spyOn(platform.worker!.get(Clock), 'now').mockReturnValue(new Date(sendAt.getTime() + 1_000));
      try {
        await scheduler.runOnce();
      } finally {
        clock.mockRestore();
      }
      await waitUntil(async () => (await mailing(id)).status === 'sent', 20_000, 'the scheduled mailing to be sent');
      expect(sink.to(person.email)).toHaveLength(1);
      expect((await mailing(cancelled)).status).toBe('cancelled');
      expect((await mailing(cancelled)).stats.recipients).toBe(0);
      expect((await admin('post', `/api/v1/admin/mailings/${cancelled}/cancel`)).status).toBe(409);
    });

    it('cancel during sending stops within a message or two', async () => {
      const list = await createList(platform.db);
      const people: Array<{ id: string; email: string }> = [];
      for (let i = 0; i < 40; i++) people.push(await createSubscriber(platform.db, { lists: [{ id: list.id }] }));
      const id = await createMailing(mailingPayload([list.slug]));
      sink.delayMs = 100;
      try {
        await admin('post', `/api/v1/admin/mailings/${id}/send`);
        const received = () => people.filter((p) => sink.to(p.email).length > 0).length;
        await waitUntil(() => received() >= 3, 20_000, 'the first messages');
        const res = await admin('post', `/api/v1/admin/mailings/${id}/cancel`);
        expect(res.body.status).toBe('cancelled');
        await waitUntil(async () => (await mailing(id)).stats.pending === 0, 10_000, 'the batch to stop');
        const atStop = received();
        await new Promise((r) => setTimeout(r, 500));
        expect(received()).toBe(atStop);
        expect(atStop).toBeLessThan(40);
        const stats = (await mailing(id)).stats;
        expect(stats.sent).toBe(atStop);
        for (const p of people) expect(sink.to(p.email).length).toBeLessThanOrEqual(1);
      } finally {
        sink.delayMs = 0;
      }
    });
  });
});
