import request from 'supertest';
import { AppConfig } from '../src/config/app-config';
import { ListsService } from '../src/lists/lists.service';
import { createList, createManySubscribers } from './factories/mailing.factory';
import { ConsoleLogin, consolePost, signInAs } from './support/console';
import { Platform, startPlatform } from './support/platform';

/**
 * The console's lists screen: the admin ListsService's rules and audit from a form, roles
 * (a viewer reads, never changes), CSRF and same-origin refusals that change nothing.
 */
describe('console lists screen', () => {
  let platform: Platform;
  let organizer: ConsoleLogin;
  let viewer: ConsoleLogin;
  let originalDefault: string;
  const http = () => request(platform.api.getHttpServer());
  const listBySlug = async (slug: string) =>
    (await platform.db.query(`SELECT id, name, is_public AS "isPublic", is_default AS "isDefault" FROM lists WHERE slug = $1`, [slug]))[0];
  const auditOf = async (action: string, targetId: string) =>
    platform.db.query(`SELECT organizer_id AS "organizerId", details FROM audit_log WHERE action = $1 AND target_id = $2`, [
      action,
      targetId,
    ]);

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
    organizer = await signInAs(platform.api, 'organizer');
    viewer = await signInAs(platform.api, 'viewer');
    originalDefault = (await platform.db.query(`SELECT id FROM lists WHERE is_default`))[0]?.id;
  });
  afterAll(async () => {
    // Other test files expect the default list they started with.
    if (originalDefault) await platform.api.get(ListsService).update(originalDefault, { isDefault: true });
    await platform?.close();
  });

  it('creates, renames, makes public and private, and chooses the default, each audited', async () => {
    const slug = `console-list-${Date.now()}`;
    const created = await consolePost(platform.api, '/console/lists', organizer, { slug, name: 'Volunteers <core>' });
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe('/console/lists?done=created');
    const list = await listBySlug(slug);
    expect(list).toMatchObject({ name: 'Volunteers <core>', isPublic: false, isDefault: false });
    expect(await auditOf('list.create', list.id)).toEqual([{ organizerId: organizer.organizerId, details: { via: 'console' } }]);

    const page = await http().get('/console/lists?done=created').set('cookie', organizer.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Volunteers &lt;core&gt;');
    expect(page.text).not.toContain('Volunteers <core>');
    expect(page.text).toContain('role="status"');

    expect((await consolePost(platform.api, `/console/lists/${list.id}/name`, organizer, { name: 'Volunteers' })).status).toBe(303);
    expect((await listBySlug(slug)).name).toBe('Volunteers');
    expect((await consolePost(platform.api, `/console/lists/${list.id}/public`, organizer, { public: 'true' })).status).toBe(303);
    expect((await listBySlug(slug)).isPublic).toBe(true);
    expect((await consolePost(platform.api, `/console/lists/${list.id}/public`, organizer, { public: 'false' })).status).toBe(303);
    expect((await listBySlug(slug)).isPublic).toBe(false);

    expect((await consolePost(platform.api, `/console/lists/${list.id}/default`, organizer)).status).toBe(303);
    // The rules of the API: one default, and it is public.
    expect(await listBySlug(slug)).toMatchObject({ isDefault: true, isPublic: true });
    expect(Number((await platform.db.query(`SELECT count(*) AS n FROM lists WHERE is_default`))[0].n)).toBe(1);
    // The default stays public: the form is not offered, and a forged request is refused.
    const refused = await consolePost(platform.api, `/console/lists/${list.id}/public`, organizer, { public: 'false' });
    expect(refused.status).toBe(400);
    expect((await listBySlug(slug)).isPublic).toBe(true);
    const updates = await auditOf('list.update', list.id);
    expect(updates.map((u: { details: { fields: string[] } }) => u.details.fields)).toEqual([
      ['name'],
      ['public'],
      ['public'],
      ['isDefault'],
    ]);

    // A taken slug is a conflict, and nothing is created.
    const again = await consolePost(platform.api, '/console/lists', organizer, { slug, name: 'Again' });
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toMatch(/text\/html/);
  });

  it('shows subscriber counts from the rollup, equal to the subscriptions', async () => {
    const list = await createList(platform.db, 'Counted');
    await createManySubscribers(platform.db, list.id, 7, `lists-count-${Date.now()}`);
    const page = await http().get('/console/lists').set('cookie', viewer.cookie);
    const row = new RegExp(`<tr data-list="${list.slug}">([^]*?)</tr>`).exec(page.text)![1];
    expect(/data-value="(\d+)"/.exec(row)![1]).toBe('7');
  });

  it('lets a viewer read the lists but not change them, and offers it no form', async () => {
    const list = await createList(platform.db, 'Read only');
    const page = await http().get('/console/lists').set('cookie', viewer.cookie);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Read only');
    expect(page.text).not.toContain('action="/console/lists');
    for (const [path, fields] of [
      ['/console/lists', { slug: `viewer-${Date.now()}`, name: 'Nope' }],
      [`/console/lists/${list.id}/name`, { name: 'Renamed by a viewer' }],
      [`/console/lists/${list.id}/public`, { public: 'true' }],
      [`/console/lists/${list.id}/default`, {}],
    ] as const) {
      expect((await consolePost(platform.api, path, viewer, fields)).status).toBe(403);
    }
    expect(await listBySlug(list.slug)).toMatchObject({ name: 'Read only', isPublic: false, isDefault: false });
  });

  it('refuses a change without the CSRF token, with another session’s, or from another origin', async () => {
    const list = await createList(platform.db, 'Guarded');
    const path = `/console/lists/${list.id}/name`;
    const origin = platform.api.get(AppConfig).publicOrigin;
    const noToken = await http().post(path).set('cookie', organizer.cookie).set('origin', origin).type('form').send({ name: 'x' });
    const otherToken = await consolePost(platform.api, path, { cookie: organizer.cookie, csrfToken: viewer.csrfToken }, { name: 'x' });
    const crossOrigin = await http()
      .post(path)
      .set('cookie', organizer.cookie)
      .set('origin', 'https://evil.example')
      .type('form')
      .send({ _csrf: organizer.csrfToken, name: 'x' });
    const noSession = await http().post(path).set('origin', origin).type('form').send({ _csrf: organizer.csrfToken, name: 'x' });
    expect([noToken.status, otherToken.status, crossOrigin.status, noSession.status]).toEqual([403, 403, 403, 403]);
    expect((await listBySlug(list.slug)).name).toBe('Guarded');
  });
});
