import request from 'supertest';
import { PublicPagesService } from '../src/pages/public-pages.service';
import { PublicPetitionsService } from '../src/petitions/public-petitions.service';
import { createOrganizer } from './factories/organizer.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { Platform, startPlatform } from './support/platform';
import { actionLink, SmtpSink } from './support/smtp-sink';

/**
 * The lean public reads (src/web/lean-reads.ts): the same answers as the Nest path (status,
 * body, every header but the request id), served without it, and as fresh as the cache
 * behind both says (an organizer's change at once, a count within a few seconds).
 */
describe('lean public reads (real PostgreSQL, Redis, SMTP)', () => {
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

  /** Every header but those that differ per response by design. */
  function headersOf(res: request.Response): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers as Record<string, string>)) {
      if (!['date', 'x-request-id', 'content-length', 'connection', 'keep-alive'].includes(name)) out[name] = value;
    }
    return out;
  }

  async function signAndConfirm(slug: string, payload: Record<string, unknown>): Promise<void> {
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
  }

  async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('not within the time');
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('answers the petition JSON without the Nest handler, with the headers a Nest JSON route sends', async () => {
    const { slug } = await createPetition(platform.api, { translations: { ar: { title: 'ع', summary: 'م', body: 'ن' } } });
    const service = platform.api.get(PublicPetitionsService);
    const viaNest = jest.spyOn(service, 'get');
    try {
      const lean = await http().get(`/api/v1/petitions/${slug}`).set('accept-language', 'ar');
      expect(lean.status).toBe(200);
      // The same bytes as the service's rendering, the language chosen the same way.
      expect(lean.text).toBe(JSON.stringify(await service.get(slug, undefined, 'ar')));
      expect(lean.body).toMatchObject({ slug, language: 'ar', title: 'ع' });
      expect((await http().get(`/api/v1/petitions/${slug}?lang=en&utm_source=x`)).body.language).toBe('en');
      expect(viaNest).toHaveBeenCalledTimes(1); // the direct call above only
      // The list is a Nest route with the same cache and vary headers: every header alike.
      const list = await http().get('/api/v1/petitions');
      expect(list.status).toBe(200);
      expect(headersOf(lean)).toEqual(headersOf(list));
      expect(lean.headers).toMatchObject({
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'public, max-age=1',
        vary: 'Accept-Language',
        'access-control-allow-origin': '*',
        'x-content-type-options': 'nosniff',
      });
      expect(lean.headers['content-security-policy']).toContain("default-src 'self'");
      expect(lean.headers['x-request-id']).toEqual(expect.any(String));
      // A request id the client gave is the one answered, as on every route.
      const given = await http().get(`/api/v1/petitions/${slug}`).set('x-request-id', 'lean-read-0001');
      expect(given.headers['x-request-id']).toBe('lean-read-0001');
    } finally {
      viaNest.mockRestore();
    }
  });

  it('answers an unknown or draft petition with the 404 the Nest path gives, byte for byte', async () => {
    const { slug: draft } = await createPetition(platform.api, { status: 'draft' });
    const lean = await http().get('/api/v1/petitions/no-such-petition-here');
    const leanDraft = await http().get(`/api/v1/petitions/${draft}`);
    // Not a slug: the controller's SlugPipe answers it.
    const nest = await http().get('/api/v1/petitions/Not_A_Slug');
    for (const res of [lean, leanDraft, nest]) expect(res.status).toBe(404);
    expect(lean.text).toBe(nest.text);
    expect(leanDraft.text).toBe(nest.text);
    expect(headersOf(lean)).toEqual(headersOf(nest));
    expect(JSON.parse(lean.text)).toEqual({ statusCode: 404, error: 'Not Found', message: 'No such petition' });
  });

  it('leaves to the controller what it does not answer: a bad ?lang=, an unknown parameter', async () => {
    const { slug } = await createPetition(platform.api);
    const bad = await http().get(`/api/v1/petitions/${slug}?lang=${'x'.repeat(40)}`);
    expect(bad.status).toBe(400);
    expect(bad.body.details?.[0]?.field).toBe('lang');
    const unknown = await http().get(`/api/v1/petitions/${slug}?colour=red`);
    expect(unknown.status).toBe(400);
  });

  it('serves the petition page and its embed exactly as the Nest path renders them', async () => {
    const { slug } = await createPetition(platform.api);
    const pages = platform.api.get(PublicPagesService);
    const viaNest = jest.spyOn(pages, 'petitionPage');
    try {
      for (const path of [`/p/${slug}`, `/embed/p/${slug}`]) {
        const first = await http().get(path).set('accept-language', 'fr');
        const again = await http().get(`${path}?utm_source=share`).set('accept-language', 'fr');
        const calls = viaNest.mock.calls.length;
        // An unknown parameter takes the Nest path, which ignores it: the same page.
        const nest = await http().get(`${path}?x=1`).set('accept-language', 'fr');
        expect(viaNest.mock.calls.length).toBe(calls + 1);
        for (const res of [first, again, nest]) expect(res.status).toBe(200);
        expect(first.text).toBe(nest.text);
        expect(again.text).toBe(nest.text);
        expect(headersOf(first)).toEqual(headersOf(nest));
        expect(first.headers['content-type']).toBe('text/html; charset=utf-8');
        expect(first.headers['content-security-policy']).toContain("style-src 'self'");
      }
      // Built once per version: the two lean answers of each path shared one rendering.
      expect(viaNest.mock.calls.length).toBe(4);
      expect((await http().get(`/embed/p/${slug}`)).headers['x-frame-options']).toBeUndefined();
      expect((await http().get(`/p/${slug}`)).headers['x-frame-options']).toBeDefined();
      // Unknown: the controller's 404 page.
      const missing = await http().get('/p/no-such-petition-page');
      expect(missing.status).toBe(404);
      expect(missing.headers['content-type']).toBe('text/html; charset=utf-8');
    } finally {
      viaNest.mockRestore();
    }
  });

  it('serves the signer list as the controller does', async () => {
    const { slug } = await createPetition(platform.api);
    await signAndConfirm(slug, signaturePayload({ publicName: true, givenName: 'Noor', familyName: 'Saleh', comment: 'Yes' }));
    await eventually(async () => (await http().get(`/api/v1/petitions/${slug}/signatures?limit=5`)).body.items?.length === 1);
    const lean = await http().get(`/api/v1/petitions/${slug}/signatures?limit=5`);
    // '05' is not the lean path's spelling: the controller parses it to 5.
    const nest = await http().get(`/api/v1/petitions/${slug}/signatures?limit=05`);
    expect(lean.status).toBe(200);
    expect(lean.text).toBe(nest.text);
    expect(headersOf(lean)).toEqual(headersOf(nest));
    expect(lean.body.items).toEqual([{ name: 'Noor S.', country: 'FR', comment: 'Yes', createdAt: expect.any(String) }]);
    expect((await http().get(`/api/v1/petitions/${slug}/signatures?limit=0`)).status).toBe(400);
    expect((await http().get('/api/v1/petitions/no-such-list/signatures')).status).toBe(404);
  });

  it("shows an organizer's change at once and a new count within seconds", async () => {
    const { id, slug } = await createPetition(platform.api, { title: 'Before' });
    expect((await http().get(`/api/v1/petitions/${slug}`)).body.title).toBe('Before');
    const page = await http().get(`/p/${slug}`);
    expect(page.text).toContain('Before');

    const patch = (body: Record<string, unknown>) =>
      http().patch(`/api/v1/admin/petitions/${id}`).auth(organizerKey, { type: 'bearer' }).send(body).expect(200);
    await patch({ title: 'After' });
    expect((await http().get(`/api/v1/petitions/${slug}`)).body.title).toBe('After');
    const pageAfter = await http().get(`/p/${slug}`);
    expect(pageAfter.text).toContain('After');
    expect(pageAfter.text).not.toContain('Before');

    await patch({ status: 'closed' });
    expect((await http().get(`/api/v1/petitions/${slug}`)).body.status).toBe('closed');
    await patch({ status: 'draft' });
    expect((await http().get(`/api/v1/petitions/${slug}`)).status).toBe(404);
    expect((await http().get(`/p/${slug}`)).status).toBe(404);
    await patch({ status: 'open' });

    expect((await http().get(`/api/v1/petitions/${slug}`)).body.signatureCount).toBe(0);
    await signAndConfirm(slug, signaturePayload());
    // The contract's "at most a few seconds behind".
    await eventually(async () => (await http().get(`/api/v1/petitions/${slug}`)).body.signatureCount === 1, 5_000);
    await eventually(async () => /\b1\b/.test((await http().get(`/p/${slug}`)).text), 5_000);
  });
});
