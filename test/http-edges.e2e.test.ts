import request from 'supertest';
import { createOrganizer } from './factories/organizer.factory';
import { Platform, startPlatform } from './support/platform';

/** Requests at the edges of the HTTP contract: media types, query forms, odd URLs, headers. */
describe('HTTP edges', () => {
  let platform: Platform;
  let adminKey: string;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
    adminKey = (await createOrganizer(platform.api, 'admin')).apiKey;
  });
  afterAll(() => platform.close());

  const expectErrorShape = (body: unknown, statusCode: number) =>
    expect(body).toEqual({ statusCode, error: expect.any(String) as string, message: expect.any(String) as string });

  it('refuses a non-JSON body on the API with 415 and stores nothing', async () => {
    const email = `plain-${Date.now()}@example.org`;
    const plain = await http()
      .post('/api/v1/signups')
      .set('content-type', 'text/plain')
      .send(JSON.stringify({ email, consent: true }));
    expect(plain.status).toBe(415);
    expectErrorShape(plain.body, 415);

    const slug = `form-${Date.now()}`;
    const form = await http()
      .post('/api/v1/admin/lists')
      .set('authorization', `Bearer ${adminKey}`)
      .type('form')
      .send({ slug, name: 'Form' });
    expect(form.status).toBe(415);
    const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM lists WHERE slug = $1`, [slug]);
    expect(n).toBe(0);
    const [{ signups }] = await platform.db.query(`SELECT count(*)::int AS signups FROM signups WHERE email = $1`, [email]);
    expect(signups).toBe(0);
  });

  it('reads empty query values as absent and ignores tracking parameters, not other unknown ones', async () => {
    const page = await http().get('/api/v1/admin/organizers?limit=&cursor=').set('authorization', `Bearer ${adminKey}`);
    expect(page.status).toBe(200);
    // Read as absent: the same first page as with no parameters at all (other files' organizers share the table).
    const plain = await http().get('/api/v1/admin/organizers').set('authorization', `Bearer ${adminKey}`);
    expect(page.body).toEqual(plain.body);
    expect(page.body).toEqual({ items: expect.any(Array) as unknown[], nextCursor: plain.body.nextCursor });

    const tracked = await http().get('/api/v1/petitions?utm_source=newsletter&utm_medium=email&fbclid=x');
    expect(tracked.status).toBe(200);
    const misspelt = await http().get('/api/v1/admin/organizers?limt=5').set('authorization', `Bearer ${adminKey}`);
    expect(misspelt.status).toBe(400);
  });

  it('reports the type of a bad value first', async () => {
    const res = await http().get('/api/v1/admin/organizers?limit=abc').set('authorization', `Bearer ${adminKey}`);
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([{ field: 'limit', message: expect.stringMatching(/integer/) as string }]);
  });

  it('reports a mistyped body field by its type, once per field', async () => {
    const res = await http().post('/api/v1/signups').send({ email: 'typed@example.org', consent: true, givenName: 123, lists: 'news' });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual([
      { field: 'givenName', message: 'givenName must be a string' },
      { field: 'lists', message: 'lists must be an array' },
    ]);
  });

  it('refuses a JSON body nested deeper than any DTO with a 400, on public and admin routes', async () => {
    const deep = `{"email":"deep@example.org","consent":true,"source":${'['.repeat(3000)}${']'.repeat(3000)}}`;
    const res = await http().post('/api/v1/signups').set('content-type', 'application/json').send(deep);
    expect(res.status).toBe(400);
    expectErrorShape(res.body, 400);
    const nested = `{"slug":"deep","name":"Deep","x":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`;
    const admin = await http()
      .post('/api/v1/admin/lists')
      .set('authorization', `Bearer ${adminKey}`)
      .set('content-type', 'application/json')
      .send(nested);
    expect(admin.status).toBe(400);
  });

  it('takes an empty body with a JSON content type as no body', async () => {
    const res = await http()
      .post('/api/v1/admin/mailings/00000000-0000-4000-8000-000000000000/send')
      .set('authorization', `Bearer ${adminKey}`)
      .set('content-type', 'application/json');
    expect(res.status).toBe(404);
    const poisoned = await http()
      .post('/api/v1/signups')
      .set('content-type', 'application/json')
      .send('{"__proto__":{"x":1},"email":"p@example.org","consent":true}');
    expect(poisoned.status).toBe(400);
  });

  it('names a path id that is not a UUID in the details', async () => {
    const res = await http().get('/api/v1/admin/petitions/not-a-uuid').set('authorization', `Bearer ${adminKey}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      details: [{ field: 'id', message: 'id must be a UUID' }],
    });
  });

  it('answers a long unknown slug with a 404 in the contract shape', async () => {
    const res = await http().get(`/api/v1/petitions/${'a'.repeat(300)}`);
    expect(res.status).toBe(404);
    expectErrorShape(res.body, 404);
    expect(JSON.stringify(res.body)).not.toContain('a'.repeat(50));
  });

  it('answers a bare OPTIONS on a public route without a plain-text 400', async () => {
    const res = await http().options('/api/v1/signups');
    expect(res.status).toBeLessThan(400);
  });

  it('lists the API and the pages behind email links in OpenAPI', async () => {
    const res = await http().get('/docs-json');
    expect(res.status).toBe(200);
    const paths = Object.keys((res.body as { paths: Record<string, unknown> }).paths);
    for (const path of [
      '/api/v1/signups',
      '/api/v1/petitions/{slug}/signatures',
      '/api/v1/events/{slug}/rsvps',
      '/api/v1/admin/mailings/{id}/send',
      '/api/v1/admin/exports/people.csv',
      '/api/v1/webhooks/email-events',
      '/confirm/{token}',
      '/petitions/confirm/{token}',
      '/rsvp/cancel/{token}',
      '/u/{token}',
      '/preferences/{token}',
    ]) {
      expect(paths).toContain(path);
    }
  });

  it('does not upgrade requests to https when PUBLIC_URL is plain http', async () => {
    const res = await http().get('/health/live');
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});
