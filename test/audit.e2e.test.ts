import request from 'supertest';
import { createOrganizer } from './factories/organizer.factory';
import { Platform, startPlatform } from './support/platform';

describe('audit log', () => {
  let platform: Platform;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
  });
  afterAll(() => platform.close());

  it('records who created and revoked an organizer, from which key and address', async () => {
    const admin = await createOrganizer(platform.api, 'admin');
    const created = await http()
      .post('/api/v1/admin/organizers')
      .set('authorization', `Bearer ${admin.apiKey}`)
      .set('x-request-id', 'audit-create-1')
      .send({ email: `audited-${Date.now()}@movement.test`, role: 'viewer' });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    await http().delete(`/api/v1/admin/organizers/${id}`).set('authorization', `Bearer ${admin.apiKey}`).expect(204);

    const rows = await platform.db.query(
      `SELECT action, target_type, target_id, organizer_id, api_key_id IS NOT NULL AS has_key, ip IS NOT NULL AS has_ip, request_id
       FROM audit_log WHERE target_id = $1 ORDER BY created_at`,
      [id],
    );
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'organizer.create',
        target_type: 'organizer',
        organizer_id: admin.id,
        has_key: true,
        has_ip: true,
        request_id: 'audit-create-1',
      }),
      expect.objectContaining({
        action: 'organizer.revoke',
        target_type: 'organizer',
        organizer_id: admin.id,
        has_key: true,
        has_ip: true,
      }),
    ]);
  });

  it('a refused request records nothing', async () => {
    const viewer = await createOrganizer(platform.api, 'viewer');
    const email = `refused-${Date.now()}@movement.test`;
    await http()
      .post('/api/v1/admin/organizers')
      .set('authorization', `Bearer ${viewer.apiKey}`)
      .send({ email, role: 'admin' })
      .expect(403);
    const [{ count }] = await platform.db.query(`SELECT count(*)::int AS count FROM audit_log WHERE organizer_id = $1`, [viewer.id]);
    expect(count).toBe(0);
  });

  it('the database itself refuses UPDATE, DELETE and TRUNCATE on the log', async () => {
    await platform.db.query(`INSERT INTO audit_log (action) VALUES ('test.append-only')`);
    await expect(platform.db.query(`UPDATE audit_log SET action = 'rewritten' WHERE action = 'test.append-only'`)).rejects.toThrow(
      /append-only/,
    );
    await expect(platform.db.query(`DELETE FROM audit_log WHERE action = 'test.append-only'`)).rejects.toThrow(/append-only/);
    await expect(platform.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/);
    const [{ count }] = await platform.db.query(`SELECT count(*)::int AS count FROM audit_log WHERE action = 'test.append-only'`);
    expect(count).toBeGreaterThanOrEqual(1);
  });
});
