import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { AppConfig } from '../src/config/app-config';
import { createPerson } from './factories/person.factory';
import { uniqueEmail } from './factories/signup.factory';
import { consolePost, ConsoleLogin, signInAs } from './support/console';
import { Platform, startPlatform } from './support/platform';

/**
 * The console's People, Imports and Exports routes as an attacker would try them: roles
 * (a viewer gets what the API gives a viewer, nothing more), CSRF and cross-site requests
 * on every POST (403, nothing changes), and the flows themselves over HTTP.
 */
describe('console people, imports and exports screens', () => {
  let platform: Platform;
  let organizer: ConsoleLogin;
  let viewer: ConsoleLogin;
  const http = () => request(platform.api.getHttpServer());
  const get = (path: string, login: ConsoleLogin) => http().get(path).set('cookie', login.cookie);
  const origin = () => platform.api.get(AppConfig).publicOrigin;
  const tagsOf = async (id: string): Promise<string[]> =>
    (await platform.db.query(`SELECT tag FROM person_tags WHERE person_id = $1 ORDER BY tag`, [id])).map((r: { tag: string }) => r.tag);

  beforeAll(async () => {
    platform = await startPlatform();
    organizer = await signInAs(platform.api, 'organizer');
    viewer = await signInAs(platform.api, 'viewer');
  });
  afterAll(() => platform.close());

  it('finds a person, shows them as typed (escaped), tags, untags and erases them behind the typed address', async () => {
    const email = uniqueEmail('scr');
    const person = await createPerson(platform.db, { email, givenName: '<script>alert(1)</script>', familyName: 'حداد' });
    const found = await get(`/console/people?email=${encodeURIComponent(email)}`, organizer).expect(200);
    expect(found.headers['cache-control']).toBe('no-store');
    expect(found.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(found.text).toContain(`/console/people/${person.id}`);
    expect(found.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(found.text).not.toContain('<script>alert(1)');

    await consolePost(platform.api, `/console/people/${person.id}/tags`, organizer, { tag: 'volunteer' }).expect(303);
    expect(await tagsOf(person.id)).toEqual(['volunteer']);
    const page = await get(`/console/people/${person.id}`, organizer).expect(200);
    expect(page.text).toContain('حداد');
    expect(page.text).toContain('volunteer');
    await consolePost(platform.api, `/console/people/${person.id}/tags/remove`, organizer, { tag: 'volunteer' }).expect(303);
    expect(await tagsOf(person.id)).toEqual([]);

    const download = await get(`/console/people/${person.id}/export`, organizer).expect(200);
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(JSON.parse(download.text)).toEqual(expect.objectContaining({ id: person.id, email }));

    // The wrong address: 400 and nothing erased.
    await consolePost(platform.api, `/console/people/${person.id}/erase`, organizer, { confirm: 'someone@else.test' }).expect(400);
    expect(await platform.db.query(`SELECT 1 FROM people WHERE id = $1`, [person.id])).toHaveLength(1);
    await consolePost(platform.api, `/console/people/${person.id}/erase`, organizer, { confirm: ` ${email.toUpperCase()} ` })
      .expect(303)
      .expect('location', '/console/people?erased=1');
    expect(await platform.db.query(`SELECT 1 FROM people WHERE id = $1`, [person.id])).toHaveLength(0);
    await get(`/console/people/${person.id}`, organizer).expect(404);

    const actions = (
      await platform.db.query(`SELECT action FROM audit_log WHERE organizer_id = $1 AND target_id = $2 ORDER BY created_at, id`, [
        organizer.organizerId,
        person.id,
      ])
    ).map((r: { action: string }) => r.action);
    expect(actions).toEqual(['person.tag', 'person.read', 'person.untag', 'person.access-export', 'person.erase']);
  });

  it('gives a viewer one record by id and nothing in bulk; refuses it every change, import and export', async () => {
    const person = await createPerson(platform.db, { tags: ['kept'] });
    const search = await get(`/console/people?name=Sam`, viewer).expect(200);
    expect(search.text).not.toContain('<table');
    expect(search.text).toContain('name="id"');
    const page = await get(`/console/people/${person.id}`, viewer).expect(200);
    expect(page.text).not.toContain('/erase');
    expect(page.text).not.toContain(`/console/people/${person.id}/export`);
    expect(page.text).not.toContain('/tags"');
    expect(page.text).not.toContain('href="/console/imports"');
    expect(page.text).not.toContain('href="/console/exports"');

    await get(`/console/people/${person.id}/export`, viewer).expect(403);
    await consolePost(platform.api, `/console/people/${person.id}/tags`, viewer, { tag: 'x' }).expect(403);
    await consolePost(platform.api, `/console/people/${person.id}/tags/remove`, viewer, { tag: 'kept' }).expect(403);
    await consolePost(platform.api, `/console/people/${person.id}/erase`, viewer, { confirm: 'x' }).expect(403);
    for (const path of ['/console/imports', `/console/imports/${randomUUID()}`, '/console/exports', '/console/exports/people.csv']) {
      await get(path, viewer).expect(403);
    }
    await consolePost(platform.api, '/console/imports', viewer).expect(403);
    expect(await tagsOf(person.id)).toEqual(['kept']);
    expect(await platform.db.query(`SELECT 1 FROM people WHERE id = $1`, [person.id])).toHaveLength(1);
  });

  it('refuses every POST without the CSRF token, with a wrong one, or from another site (403, nothing changes)', async () => {
    const person = await createPerson(platform.db, { tags: ['kept'] });
    const posts = [
      [`/console/people/${person.id}/tags`, { tag: 'x' }],
      [`/console/people/${person.id}/tags/remove`, { tag: 'kept' }],
      [`/console/people/${person.id}/erase`, { confirm: person.email }],
    ] as const;
    for (const [path, fields] of posts) {
      await http().post(path).set('cookie', organizer.cookie).set('origin', origin()).type('form').send(fields).expect(403);
      await http()
        .post(path)
        .set('cookie', organizer.cookie)
        .set('origin', origin())
        .type('form')
        .send({ ...fields, _csrf: 'f'.repeat(64) })
        .expect(403);
      await http()
        .post(path)
        .set('cookie', organizer.cookie)
        .set('origin', 'https://evil.example')
        .type('form')
        .send({ ...fields, _csrf: organizer.csrfToken })
        .expect(403);
      await http()
        .post(path)
        .set('origin', origin())
        .type('form')
        .send({ ...fields, _csrf: organizer.csrfToken })
        .expect(403);
    }
    // The upload: the token rides in the URL; without it, or cross-site, 403 and no import stored.
    const before = Number((await platform.db.query(`SELECT count(*) FROM import_jobs`))[0].count);
    await http()
      .post('/console/imports')
      .set('cookie', organizer.cookie)
      .set('origin', origin())
      .attach('file', Buffer.from('email\na@b.c'), 'a.csv')
      .expect(403);
    await http()
      .post(`/console/imports?_csrf=${organizer.csrfToken}`)
      .set('cookie', organizer.cookie)
      .set('sec-fetch-site', 'cross-site')
      .attach('file', Buffer.from('email\na@b.c'), 'a.csv')
      .expect(403);
    expect(Number((await platform.db.query(`SELECT count(*) FROM import_jobs`))[0].count)).toBe(before);
    expect(await tagsOf(person.id)).toEqual(['kept']);
    expect(await platform.db.query(`SELECT 1 FROM people WHERE id = $1`, [person.id])).toHaveLength(1);
  });

  it('imports through the wizard: upload, mapping, preview, start, progress, report and its CSV', async () => {
    const good = uniqueEmail('wiz');
    const csv = ['Email Address,Prénom,Comment', `${good},=Amal,hi`, 'nope,Omid,x', `${uniqueEmail('wiz')},"@Sara",y`].join('\n');
    const uploaded = await http()
      .post(`/console/imports?_csrf=${organizer.csrfToken}`)
      .set('cookie', organizer.cookie)
      .set('origin', origin())
      .attach('file', Buffer.from(csv), '<b>liste.csv')
      .expect(303);
    const path = uploaded.headers.location;
    expect(path).toMatch(/^\/console\/imports\/[0-9a-f-]{36}$/);
    const mapping = await get(path, organizer).expect(200);
    expect(mapping.text).toContain('&lt;b&gt;liste.csv');
    expect(mapping.text).toMatch(/<option value="email" selected>/);
    const fields = { field: ['email', 'givenName', ''], consent: 'none' } as unknown as Record<string, string>;
    const preview = await consolePost(platform.api, `${path}/preview`, organizer, fields).expect(200);
    expect(preview.text).toContain('email must be an email address');
    await consolePost(platform.api, `${path}/start`, organizer, fields).expect(303);
    await consolePost(platform.api, `${path}/start`, organizer, fields).expect(409);

    const end = Date.now() + 20_000;
    let page = await get(path, organizer).expect(200);
    while (!page.text.includes('rejected.csv') && Date.now() < end) {
      expect(page.text).toContain('<progress');
      await new Promise((r) => setTimeout(r, 200));
      page = await get(path, organizer).expect(200);
    }
    expect(page.text).toContain('2 people added, 0 updated, 1 lines rejected.');
    const report = await get(`${path}/rejected.csv`, organizer).expect(200);
    expect(report.headers['content-type']).toContain('text/csv');
    expect(report.text).toBe('line,reason\n3,email must be an email address\n');
    const [person] = await platform.db.query(`SELECT given_name FROM people WHERE email = $1`, [good]);
    expect(person.given_name).toBe('=Amal');
  });

  it('downloads exports with their filters, audited like the API', async () => {
    const tag = `exp-${randomUUID().slice(0, 6)}`;
    const a = await createPerson(platform.db, { givenName: '=SUM(A1)', tags: [tag] });
    await createPerson(platform.db, { tags: [`${tag}-other`] });
    const res = await get(`/console/exports/people.csv?tag=${tag}&tags=1&bom=1`, organizer).expect(200);
    expect(res.headers['content-disposition']).toContain('people.csv');
    const lines = res.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('id,email,givenName,familyName,country,postalCode,language,confirmedAt,createdAt,tags,protected');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(a.id);
    expect(lines[1]).toContain("'=SUM(A1)");
    const [entry] = await platform.db.query(
      `SELECT details FROM audit_log WHERE action = 'export.people' AND organizer_id = $1 ORDER BY created_at DESC LIMIT 1`,
      [organizer.organizerId],
    );
    expect(entry.details).toEqual(expect.objectContaining({ rows: 1, completed: true, filters: { tag } }));
    await get(`/console/exports/signatures.csv?petition=${randomUUID()}`, organizer).expect(404);
    await get(`/console/exports/rsvps.csv?event=not-a-uuid`, organizer).expect(400);
    const index = await get('/console/exports', organizer).expect(200);
    expect(index.text).toContain('action="/console/exports/people.csv"');
  });
});
