import request from 'supertest';
import { createHash } from 'node:crypto';
import { createOrganizer } from './factories/organizer.factory';
import { Platform, startPlatform } from './support/platform';
import { runDist } from './support/processes';

describe('organizers and API keys', () => {
  let platform: Platform;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
  });
  afterAll(() => platform.close());

  it('organizer:create prints the key alone on its last line, stores only its hash', async () => {
    const email = `cli-${Date.now()}@movement.test`;
    const proc = runDist('cli.js', {}, ['organizer:create', '--email', email, '--role', 'admin']);
    const { code } = await proc.exited;
    expect(code).toBe(0);
    const lines = proc.output().trim().split('\n');
    const key = lines[lines.length - 1];
    expect(key).toMatch(/^cpk_[A-Za-z0-9_-]{43}$/);

    const rows = await platform.db.query(
      `SELECT k.key_hash, k.key_prefix FROM api_keys k JOIN organizers o ON o.id = k.organizer_id WHERE o.email = $1`,
      [email],
    );
    expect(rows).toEqual([{ key_hash: createHash('sha256').update(key).digest('hex'), key_prefix: key.slice(0, 12) }]);
    const dump = JSON.stringify(await platform.db.query(`SELECT * FROM api_keys`));
    expect(dump).not.toContain(key);

    const res = await http().get('/api/v1/admin/organizers').set('authorization', `Bearer ${key}`);
    expect(res.status).toBe(200);
    const [{ last_used_at }] = await platform.db.query(`SELECT last_used_at FROM api_keys WHERE key_hash = $1`, [rows[0].key_hash]);
    expect(last_used_at).not.toBeNull();
  });

  it('organizer:create refuses a bad role with a usage line', async () => {
    const proc = runDist('cli.js', {}, ['organizer:create', '--email', 'x@movement.test', '--role', 'root']);
    const { code } = await proc.exited;
    expect(code).toBe(2);
    expect(proc.output()).toContain('--role must be one of admin, organizer, viewer');
  });

  it('admins create, list (paged) and revoke organizers; revoked keys stop working', async () => {
    const admin = await createOrganizer(platform.api, 'admin');
    const auth = { authorization: `Bearer ${admin.apiKey}` };

    const created = await http()
      .post('/api/v1/admin/organizers')
      .set(auth)
      .send({ email: ' New.Organizer@Movement.test ', role: 'organizer' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: 'new.organizer@movement.test', role: 'organizer', revokedAt: null });
    expect(created.body.apiKey).toMatch(/^cpk_/);

    const duplicate = await http()
      .post('/api/v1/admin/organizers')
      .set(auth)
      .send({ email: 'new.organizer@movement.test', role: 'viewer' });
    expect(duplicate.status).toBe(409);

    const page1 = await http().get('/api/v1/admin/organizers?limit=1').set(auth);
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.items[0]).not.toHaveProperty('apiKey');
    expect(page1.body.nextCursor).toEqual(expect.any(String));
    const page2 = await http().get(`/api/v1/admin/organizers?limit=1&cursor=${page1.body.nextCursor}`).set(auth);
    expect(page2.body.items[0].id).not.toBe(page1.body.items[0].id);
    expect((await http().get('/api/v1/admin/organizers?cursor=garbage').set(auth)).status).toBe(400);

    const newKey = { authorization: `Bearer ${created.body.apiKey}` };
    const revoke = await http().delete(`/api/v1/admin/organizers/${created.body.id}`).set(auth);
    expect(revoke.status).toBe(204);
    expect((await http().delete(`/api/v1/admin/organizers/${created.body.id}`).set(auth)).status).toBe(404);
    expect((await http().get('/api/v1/admin/organizers').set(newKey)).status).toBe(401);

    // Nobody revokes themselves (only the CLI could let them back in): 409, nothing changes.
    for (const id of [admin.id, admin.id.toUpperCase()]) {
      const self = await http().delete(`/api/v1/admin/organizers/${id}`).set(auth);
      expect(self.status).toBe(409);
      expect(self.body).toEqual({ statusCode: 409, error: 'Conflict', message: expect.any(String) });
    }
    expect((await http().get('/api/v1/admin/organizers').set(auth)).status).toBe(200);
  });

  it('enforces roles: organizer and viewer keys get 403 on admin routes; no or bad key 401', async () => {
    for (const role of ['organizer', 'viewer'] as const) {
      const { apiKey } = await createOrganizer(platform.api, role);
      const res = await http().get('/api/v1/admin/organizers').set('authorization', `Bearer ${apiKey}`);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    }
    expect((await http().get('/api/v1/admin/organizers')).status).toBe(401);
    expect((await http().get('/api/v1/admin/organizers').set('authorization', 'Bearer cpk_wrong')).status).toBe(401);
    expect((await http().get('/api/v1/admin/organizers').set('authorization', 'Basic abc')).status).toBe(401);
  });

  it('pages through rows created in the same microsecond-precise transaction without losing any', async () => {
    const admin = await createOrganizer(platform.api, 'admin');
    const tag = `batch-${Date.now()}`;
    await platform.db.query(
      `INSERT INTO organizers (email, role, created_at) SELECT '${tag}-' || i || '@movement.test', 'viewer', now() FROM generate_series(1, 5) i`,
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await http()
        .get(`/api/v1/admin/organizers?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
        .set('authorization', `Bearer ${admin.apiKey}`);
      seen.push(...res.body.items.map((o: { email: string }) => o.email));
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen.filter((e) => e.startsWith(tag))).toHaveLength(5);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('validates organizer input', async () => {
    const admin = await createOrganizer(platform.api, 'admin');
    const res = await http()
      .post('/api/v1/admin/organizers')
      .set('authorization', `Bearer ${admin.apiKey}`)
      .send({ email: 'x@movement.test', role: 'superuser', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['extra', 'role']);
  });
});
