import { createChallenge, solveChallenge } from 'altcha-lib/v1';
import request from 'supertest';
import { keyedHash } from '../src/common/crypto.util';
import { createOrganizer } from './factories/organizer.factory';
import { eventPayload } from './factories/event.factory';
import { createPetition } from './factories/petition.factory';
import { uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { actionLink, SmtpSink } from './support/smtp-sink';

/** Resource-loading references of a page (stylesheets, scripts, images, frames, CSS url()). */
function loadedResources(html: string): string[] {
  const refs: string[] = [];
  for (const m of html.matchAll(/<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc="([^"]*)"/gi)) refs.push(m[1]);
  for (const m of html.matchAll(/<link\b[^>]*>/gi)) {
    if (/rel="(?:stylesheet|icon|preload|prefetch|modulepreload|manifest)"/i.test(m[0])) refs.push(/href="([^"]*)"/.exec(m[0])?.[1] ?? '');
  }
  for (const m of html.matchAll(/url\(([^)]*)\)/gi)) refs.push(m[1]);
  return refs;
}

const labelsFor = (html: string): string[] => [...html.matchAll(/<label for="([^"]+)"/g)].map((m) => m[1]);
const inputIds = (form: string): string[] =>
  [...form.matchAll(/<(?:input|textarea|select)\b[^>]*>/g)]
    .filter((m) => !/type="hidden"/.test(m[0]))
    .map((m) => /id="([^"]+)"/.exec(m[0])?.[1] ?? '(none)');
const formOf = (html: string): string => /<form[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';

/** Solves a challenge as a browser would, into the `altcha` field's value. */
async function solve(challenge: {
  algorithm: string;
  challenge: string;
  salt: string;
  signature: string;
  maxnumber: number;
}): Promise<string> {
  const solution = await solveChallenge(challenge.challenge, challenge.salt, challenge.algorithm, challenge.maxnumber).promise;
  return Buffer.from(JSON.stringify({ ...challenge, number: solution!.number })).toString('base64');
}

describe('public pages (real PostgreSQL, Redis, SMTP)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizerKey: string;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    organizerKey = (await createOrganizer(platform.api, 'organizer')).apiKey;
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  async function createEvent(overrides: Record<string, unknown> = {}): Promise<{ id: string; slug: string }> {
    const res = await http()
      .post('/api/v1/admin/events')
      .set({ Authorization: `Bearer ${organizerKey}` })
      .send(eventPayload(overrides));
    expect(res.status).toBe(201);
    return res.body;
  }

  describe('join page', () => {
    it('serves the form in the layout: lang/dir, labels for every input, strict CSP, not framable, nothing from another origin', async () => {
      const res = await http().get('/');
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.text).toMatch(/<html lang="en" dir="ltr">/);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toMatch(/style-src 'self'(;|$)/);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['x-frame-options']).toBeDefined();
      expect(res.text).not.toMatch(/<style|\sstyle="|<script(?![^>]*\bsrc=)/);
      const resources = loadedResources(res.text);
      expect(resources).toEqual(expect.arrayContaining(['/assets/site.css', '/assets/site.js']));
      // Same origin (a path) or inline data (the empty favicon that spares the browser a request).
      for (const ref of resources) expect(ref).toMatch(/^(\/(?!\/)|data:)/);

      const form = formOf(res.text);
      expect(form).toContain('data-form="join"');
      expect(form).toContain('method="post"');
      for (const name of ['email', 'givenName', 'familyName', 'country', 'postalCode', 'consent', 'website', 'language']) {
        expect(form).toContain(`name="${name}"`);
      }
      expect(form).toContain('name="consent" value="true"');
      const labels = labelsFor(form);
      for (const id of inputIds(form)) expect(labels).toContain(id);
      expect(form.match(/type="submit"/g)).toHaveLength(1);
      expect(res.text).toContain('class="skip-link" href="#main"');
    });

    it('picks ?lang= over Accept-Language, Accept-Language over English; Arabic and Persian are right-to-left', async () => {
      expect((await http().get('/?lang=ar').set('Accept-Language', 'fr')).text).toMatch(/<html lang="ar" dir="rtl">/);
      expect((await http().get('/').set('Accept-Language', 'fa-IR,fa;q=0.9,en;q=0.5')).text).toMatch(/<html lang="fa" dir="rtl">/);
      expect((await http().get('/').set('Accept-Language', 'de, fr;q=0.5')).text).toMatch(/<html lang="fr" dir="ltr">/);
      const fallback = await http().get('/?lang=xx').set('Accept-Language', 'de');
      expect(fallback.text).toMatch(/<html lang="en" dir="ltr">/);
      // The switcher is plain links.
      for (const code of ['en', 'ar', 'fa', 'fr']) expect(fallback.text).toContain(`href="/?lang=${code}"`);
    });

    it('no-JS POST: the same thank-you bytes for a new and a known address; the confirmation email follows in the page language', async () => {
      const email = uniqueEmail('page-join');
      const form = { email, givenName: 'Leila', country: 'lb', consent: 'on', language: 'fr', website: '' };
      const first = await http().post('/?lang=fr').type('form').send(form);
      expect(first.status).toBe(200);
      expect(first.text).toContain('data-thanks');
      expect(first.headers['cache-control']).toBe('no-store');
      const [mail] = await sink.waitFor(email, 1);
      expect(mail.parsed.subject).toBeTruthy();
      expect(
        await http()
          .post(new URL(actionLink(mail)).pathname)
          .type('form')
          .send(''),
      ).toHaveProperty('status', 200);

      const again = await http().post('/?lang=fr').type('form').send(form);
      const stranger = await http()
        .post('/?lang=fr')
        .type('form')
        .send({ ...form, email: uniqueEmail('page-join') });
      expect(again.status).toBe(200);
      expect(again.text).toBe(first.text);
      expect(stranger.text).toBe(first.text);
      const rows = await platform.db.query(`SELECT language FROM signups WHERE email = $1`, [email]);
      expect(rows.length).toBe(2);
      expect(rows[0].language).toBe('fr');
    });

    it('invalid: 400, the form again with the values kept (escaped) and each error tied to its field', async () => {
      const res = await http().post('/').type('form').send({ email: 'not-an-address', givenName: '<b>Sam</b>', country: 'Lebanon' });
      expect(res.status).toBe(400);
      expect(res.headers['cache-control']).toBe('no-store');
      const form = formOf(res.text);
      expect(form).toContain('value="not-an-address"');
      expect(form).toContain('value="&lt;b&gt;Sam&lt;/b&gt;"');
      expect(form).not.toContain('<b>Sam');
      for (const field of ['email', 'country', 'consent']) {
        expect(form).toMatch(new RegExp(`id="field-${field}"[^>]*aria-invalid="true" aria-describedby="field-${field}-error"`));
        expect(form).toMatch(new RegExp(`<p class="field-error" id="field-${field}-error">[^<]+</p>`));
      }
      expect(form).not.toContain('id="field-givenName-error"');
      expect(form).toContain('role="alert"');
    });

    it('a filled honeypot gets the same thank-you and stores nothing', async () => {
      const email = uniqueEmail('page-bot');
      const res = await http().post('/').type('form').send({ email, consent: 'true', website: 'http://spam.example' });
      const human = await http()
        .post('/')
        .type('form')
        .send({ email: uniqueEmail('page-human'), consent: 'true' });
      expect(res.status).toBe(200);
      expect(res.text).toBe(human.text);
      expect(await platform.db.query(`SELECT 1 FROM signups WHERE email = $1`, [email])).toHaveLength(0);
    });
  });

  describe('petition page', () => {
    it('shows title, target, text, the count and progress toward the goal, share links and Open Graph with absolute URLs', async () => {
      const { slug } = await createPetition(platform.api, { title: 'Free the journalists', target: 'The Minister of Justice', goal: 250 });
      const res = await http().get(`/p/${slug}`);
      expect(res.status).toBe(200);
      expect(res.text).toContain('<h1>Free the journalists</h1>');
      expect(res.text).toContain('The Minister of Justice');
      expect(res.text).toContain('Reporting is not a crime.');
      expect(res.text).toMatch(/<span class="count-number" data-signature-count>0<\/span>/);
      expect(res.text).toContain('<progress data-signature-progress max="250" value="0"');
      expect(res.text).toContain(`<meta property="og:url" content="http://links.test/p/${slug}">`);
      expect(res.text).toContain('<meta property="og:title" content="Free the journalists">');
      expect(res.text).toContain('<meta name="twitter:card" content="summary">');
      expect(res.text).toContain(`https://wa.me/?text=`);
      expect(res.text).toContain(`https://t.me/share/url?url=${encodeURIComponent(`http://links.test/p/${slug}`)}`);
      expect(res.text).toContain('mailto:?subject=');
      expect(res.text).toContain(`data-copy-link="http://links.test/p/${slug}"`);
      const form = formOf(res.text);
      expect(form).toContain('data-form="sign"');
      expect(form).toContain(`data-api="/api/v1/petitions/${slug}/signatures"`);
      expect(form).toContain(`action="/p/${slug}?lang=en"`);
      for (const name of ['email', 'givenName', 'familyName', 'country', 'postalCode', 'comment', 'publicName', 'subscribe']) {
        expect(form).toContain(`name="${name}"`);
      }
      const labels = labelsFor(form);
      for (const id of inputIds(form)) expect(labels).toContain(id);
      for (const ref of loadedResources(res.text)) expect(ref).toMatch(/^(\/(?!\/)|data:)/);
    });

    it('no-JS signing: thank-you for every address history, the count follows the confirmation, Arabic digits on the Arabic page', async () => {
      const { slug } = await createPetition(platform.api, { language: 'ar', goal: 100 });
      const email = uniqueEmail('page-signer');
      const form = { email, givenName: 'أمل', country: 'LB', publicName: 'on', comment: 'حرية', website: '' };
      const first = await http().post(`/p/${slug}`).type('form').send(form);
      expect(first.status).toBe(200);
      expect(first.text).toMatch(/<html lang="ar" dir="rtl">/);
      const [mail] = await sink.waitFor(email, 1);
      expect(
        (
          await http()
            .post(new URL(actionLink(mail)).pathname)
            .type('form')
            .send('')
        ).status,
      ).toBe(200);
      const again = await http().post(`/p/${slug}`).type('form').send(form);
      expect(again.text).toBe(first.text);

      let page = '';
      for (let i = 0; i < 50 && !page.includes('data-signature-count>١<'); i++) {
        page = (await http().get(`/p/${slug}`)).text;
        if (!page.includes('data-signature-count>١<')) await new Promise((r) => setTimeout(r, 200));
      }
      expect(page).toMatch(/<html lang="ar" dir="rtl">/);
      expect(page).toContain('data-signature-count>١</span>');
      expect(page).toContain('أمل');
      expect(page).toContain('حرية');
    });

    it('invalid signature: 400 with the sign form again; unknown slug: 404 page; closed: 410 page without a form', async () => {
      const { slug, id } = await createPetition(platform.api);
      const bad = await http().post(`/p/${slug}`).type('form').send({ email: uniqueEmail(), givenName: '', country: 'FR', guests: '3' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('id="field-givenName-error"');
      expect(bad.text).toContain('data-form="sign"');

      const missing = await http().get('/p/no-such-petition-here');
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toContain('text/html');
      expect(missing.text).toContain('<html lang="en"');
      expect((await http().post('/p/no-such-petition-here').type('form').send({ email: uniqueEmail() })).status).toBe(404);
      expect((await http().get('/e/no-such-event-here')).status).toBe(404);

      await platform.db.query(`UPDATE petitions SET status = 'closed' WHERE id = $1`, [id]);
      await new Promise((r) => setTimeout(r, 1100)); // the read cache holds a petition for a second
      const closed = await http().post(`/p/${slug}`).type('form').send({ email: uniqueEmail(), givenName: 'Sam', country: 'FR' });
      expect(closed.status).toBe(410);
      expect(closed.text).not.toContain('data-form="sign"');
      expect(closed.text).toContain('This petition is closed');
    });
  });

  describe('event page', () => {
    it('shows the time in the event’s zone per locale and the spots left; no-JS RSVP answers the same for every address', async () => {
      const event = await createEvent({
        startsAt: '2031-06-01T16:00:00Z',
        endsAt: '2031-06-01T18:00:00Z',
        timezone: 'Europe/Paris',
        capacity: 12,
      });
      const fr = await http().get(`/e/${event.slug}?lang=fr`);
      expect(fr.status).toBe(200);
      expect(fr.text).toContain('dimanche 1 juin 2031');
      expect(fr.text).toContain('18:00');
      expect(fr.text).toContain('<span class="count-number" data-spots-left>12</span>');
      const fa = await http().get(`/e/${event.slug}?lang=fa`);
      expect(fa.text).toContain('data-spots-left>۱۲</span>');
      const form = formOf(fr.text);
      expect(form).toContain('data-form="rsvp"');
      expect(form).toContain('name="guests"');

      const email = uniqueEmail('page-rsvp');
      const first = await http().post(`/e/${event.slug}`).type('form').send({ email, givenName: 'Sam', guests: '2', subscribe: 'true' });
      expect(first.status).toBe(200);
      expect(first.text).toContain('data-thanks');
      const second = await http().post(`/e/${event.slug}`).type('form').send({ email, givenName: 'Sam', guests: '2' });
      expect(second.text).toBe(first.text);
      await sink.waitFor(email, 1);
      const rows = await platform.db.query(`SELECT guests FROM rsvps WHERE event_id = $1`, [event.id]);
      // The worker keeps one RSVP per person and event: the repeat changes nothing visible.
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r: { guests: number }) => r.guests === 2)).toBe(true);

      const bad = await http().post(`/e/${event.slug}`).type('form').send({ email, givenName: 'Sam', guests: '11' });
      expect(bad.status).toBe(400);
      expect(bad.text).toMatch(/id="field-guests"[^>]*aria-invalid="true"/);
      expect(bad.text).toContain('value="11"');
    });
  });

  describe('embeds and assets', () => {
    it('embed pages may be framed by anyone (no X-Frame-Options); their forms post to themselves', async () => {
      const { slug } = await createPetition(platform.api);
      const res = await http().get(`/embed/p/${slug}?lang=fa`);
      expect(res.status).toBe(200);
      expect(res.headers['content-security-policy']).toContain('frame-ancestors *');
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(res.text).toMatch(/<html lang="fa" dir="rtl">/);
      expect(res.text).toContain('class="embed"');
      expect(res.text).not.toContain('site-header');
      expect(formOf(res.text)).toContain(`action="/embed/p/${slug}?lang=fa"`);
      const posted = await http().post(`/embed/p/${slug}`).type('form').send({ email: uniqueEmail(), givenName: 'Sam', country: 'FR' });
      expect(posted.status).toBe(200);
      expect(posted.headers['content-security-policy']).toContain('frame-ancestors *');
      expect(posted.text).toContain('data-thanks');
      expect((await http().get('/embed/join')).text).toContain('data-form="join"');
      const event = await createEvent();
      expect((await http().get(`/embed/e/${event.slug}`)).text).toContain('data-form="rsvp"');
    });

    it('serves /embed.js (cacheable, loadable by other sites) and /assets/* from this origin only', async () => {
      const embed = await http().get('/embed.js');
      expect(embed.status).toBe(200);
      expect(embed.headers['content-type']).toContain('javascript');
      expect(embed.headers['cache-control']).toContain('max-age=3600');
      expect(embed.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(embed.text).toContain('campaign-embed:resize');
      expect((await http().get('/embed.js').set('If-None-Match', embed.headers.etag)).status).toBe(304);
      const css = await http().get('/assets/site.css');
      expect(css.headers['content-type']).toContain('text/css');
      expect(css.text).not.toMatch(/url\(|@import|https?:\/\//);
      const js = await http().get('/assets/site.js');
      expect(js.headers['content-type']).toContain('javascript');
      expect(js.text).not.toMatch(/https?:\/\//);
      expect((await http().get('/assets/../package.json')).status).toBe(404);
      expect((await http().get('/assets/nothing.js')).status).toBe(404);
    });
  });

  describe('pages behind email links', () => {
    it('use the shared layout and stylesheet, no inline style, and keep their behaviour (GET changes nothing)', async () => {
      const email = uniqueEmail('page-link');
      await http().post('/api/v1/signups').send({ email, consent: true, language: 'ar' });
      const [mail] = await sink.waitFor(email, 1);
      const path = new URL(actionLink(mail)).pathname;
      const page = await http().get(path);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/<html lang="ar" dir="rtl">/);
      expect(page.text).toContain('<link rel="stylesheet" href="/assets/site.css">');
      expect(page.text).toContain('<form method="post">');
      expect(page.text).not.toMatch(/<style|\sstyle="/);
      expect(page.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(page.headers['cache-control']).toBe('no-store');
      expect((await platform.db.query(`SELECT confirmed_at FROM signups WHERE email = $1`, [email]))[0].confirmed_at).toBeNull();
    });
  });

  describe('proof of work off (the default)', () => {
    it('has no challenge route and ignores an altcha field in the JSON API', async () => {
      expect((await http().get('/api/v1/challenge')).status).toBe(404);
      const res = await http().post('/api/v1/signups').send({ email: uniqueEmail(), consent: true, altcha: 'anything' });
      expect(res.status).toBe(202);
      expect(formOf((await http().get('/')).text)).not.toContain('name="altcha"');
    });
  });
});

describe('public pages with PROOF_OF_WORK=on', () => {
  let platform: Platform;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    platform = await startPlatform(
      { PROOF_OF_WORK: 'on', PROOF_OF_WORK_MAX_NUMBER: '2000', EMBED_ALLOWED_ORIGINS: 'https://host.example' },
      { worker: false },
    );
  });
  afterAll(async () => {
    await platform.close();
  });

  const challenge = async () => {
    const res = await http().get('/api/v1/challenge');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    return res.body;
  };

  it('the JSON POSTs require a solution, accepted once; missing, forged or reused → 400 naming altcha', async () => {
    const payload = () => ({ email: uniqueEmail('pow'), consent: true });
    const missing = await http().post('/api/v1/signups').send(payload());
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: [{ field: 'altcha' }] });

    const altcha = await solve(await challenge());
    expect(
      (
        await http()
          .post('/api/v1/signups')
          .send({ ...payload(), altcha })
      ).status,
    ).toBe(202);
    const reused = await http()
      .post('/api/v1/signups')
      .send({ ...payload(), altcha });
    expect(reused.status).toBe(400);
    expect(reused.body.details).toEqual([{ field: 'altcha', message: expect.stringContaining('used') }]);

    // A challenge signed with another key is not ours.
    const forged = await createChallenge({
      hmacKey: keyedHash('another-secret-0123456789abcdef0123', 'altcha', 'hmac-key'),
      maxnumber: 100,
    });
    const bad = await http()
      .post('/api/v1/signups')
      .send({ ...payload(), altcha: await solve({ ...forged, maxnumber: 100 }) });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('altcha');

    const { slug } = await createPetition(platform.api);
    const sign = { email: uniqueEmail('pow'), givenName: 'Sam', country: 'FR' };
    expect((await http().post(`/api/v1/petitions/${slug}/signatures`).send(sign)).body.details[0].field).toBe('altcha');
    expect(
      (
        await http()
          .post(`/api/v1/petitions/${slug}/signatures`)
          .send({ ...sign, altcha: await solve(await challenge()) })
      ).status,
    ).toBe(202);
  });

  it('embeds may be framed only by EMBED_ALLOWED_ORIGINS when it is set; other pages by no one', async () => {
    const embed = await http().get('/embed/join');
    expect(embed.headers['content-security-policy']).toContain('frame-ancestors https://host.example;');
    expect((await http().get('/')).headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('page forms carry the challenge URL and a noscript notice; a solved form is accepted once', async () => {
    const page = await http().get('/');
    const form = formOf(page.text);
    expect(form).toContain('data-pow="/api/v1/challenge"');
    expect(form).toContain('name="altcha"');
    expect(form).toContain('<noscript>');

    const fields = { email: uniqueEmail('pow-page'), consent: 'true' };
    const without = await http().post('/').type('form').send(fields);
    expect(without.status).toBe(400);
    expect(without.text).toContain('id="altcha-error"');
    expect(without.text).toContain(`value="${fields.email}"`);

    const altcha = await solve(await challenge());
    const ok = await http()
      .post('/')
      .type('form')
      .send({ ...fields, altcha });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('data-thanks');
    expect(
      (
        await http()
          .post('/')
          .type('form')
          .send({ ...fields, altcha })
      ).status,
    ).toBe(400);
  });
});
