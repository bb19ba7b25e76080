import request from 'supertest';
import { loadConfig } from '../src/config/app-config';
import { keyIdOf, SuppressionRepository } from '../src/mail/suppression.repository';
import { createOrganizer } from './factories/organizer.factory';
import { createPerson } from './factories/person.factory';
import { uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { signInAs } from './support/console';
import { runDist } from './support/processes';

/** The panic and hygiene commands (docs/safety.md), run as an operator would: the built CLI on the test database. */
describe('security commands', () => {
  let platform: Platform;
  const http = () => request(platform.api.getHttpServer());
  const works = async (key: string): Promise<number> =>
    (await http().get('/api/v1/admin/lists').set('authorization', `Bearer ${key}`)).status;

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
  });
  afterAll(() => platform.close());

  it('security:lockdown ends every API key and console session and prints a new admin key alone on its last line', async () => {
    const keys = [
      (await createOrganizer(platform.api, 'admin')).apiKey,
      (await createOrganizer(platform.api, 'organizer')).apiKey,
      (await createOrganizer(platform.api, 'viewer')).apiKey,
    ];
    for (const key of keys) expect(await works(key)).toBe(200);
    const session = await signInAs(platform.api, 'admin');
    expect((await http().get('/console').set('cookie', session.cookie)).status).toBe(200);

    const proc = runDist('cli.js', {}, ['security:lockdown']);
    const { code } = await proc.exited;
    expect(code).toBe(0);
    const lines = proc.output().trim().split('\n');
    const fresh = lines[lines.length - 1];
    expect(fresh).toMatch(/^cpk_[A-Za-z0-9_-]{43}$/);

    for (const key of keys) expect(await works(key)).toBe(401);
    const [{ n }] = await platform.db.query(
      `SELECT count(*)::int AS n FROM api_keys k JOIN organizers o ON o.id = k.organizer_id WHERE k.revoked_at IS NULL AND o.revoked_at IS NULL`,
    );
    expect(n).toBe(1);
    expect(await works(fresh)).toBe(200);
    const [audit] = await platform.db.query(
      `SELECT details FROM audit_log WHERE action = 'security.lockdown' ORDER BY created_at DESC LIMIT 1`,
    );
    expect(audit.details.apiKeys).toBeGreaterThanOrEqual(3);
    expect(audit.details.consoleSessions).toBeGreaterThanOrEqual(1);
    // The console sends a session it does not know to sign-in.
    const after = await http().get('/console').set('cookie', session.cookie);
    expect(after.status).toBe(303);
    expect(after.headers.location).toContain('/console/sign-in');
  });

  it('security:rotate-secret re-keys the suppressions of known addresses; the rest still match through APP_SECRET_PREVIOUS', async () => {
    const oldSecret = process.env.APP_SECRET as string;
    const newSecret = 'rotated-secret-0123456789abcdef0123456789abcdef';
    const known = await createPerson(platform.db, { email: uniqueEmail('bounced') });
    const erased = uniqueEmail('erased');
    const before = new SuppressionRepository(platform.db, loadConfig(process.env));
    await before.add(known.email, 'bounce');
    await before.add(erased, 'erasure');
    // A row from before key ids existed is the old secret's too.
    const legacy = uniqueEmail('legacy');
    await createPerson(platform.db, { email: legacy });
    await platform.db.query(`INSERT INTO suppressions (email_hash, reason) VALUES ($1, 'bounce')`, [before.hashOf(legacy)]);

    const rotate = async (secret: string, previous: string): Promise<{ rekeyed: number; remaining: number; newKeyId: string }> => {
      const proc = runDist('cli.js', { APP_SECRET: secret, APP_SECRET_PREVIOUS: previous }, ['security:rotate-secret']);
      const { code } = await proc.exited;
      expect(code).toBe(0);
      return JSON.parse(/\{[\s\S]*\}/.exec(proc.output())![0]);
    };
    try {
      const report = await rotate(newSecret, oldSecret);
      expect(report.newKeyId).toBe(keyIdOf(newSecret));
      expect(report.rekeyed).toBeGreaterThanOrEqual(2);
      expect(report.remaining).toBeGreaterThanOrEqual(1);

      const during = new SuppressionRepository(
        platform.db,
        loadConfig({ ...process.env, APP_SECRET: newSecret, APP_SECRET_PREVIOUS: oldSecret }),
      );
      const after = new SuppressionRepository(platform.db, loadConfig({ ...process.env, APP_SECRET: newSecret }));
      // Known addresses match under the new secret alone; the erased one only with the old key kept.
      expect(await after.isSuppressed(known.email)).toBe(true);
      expect(await after.isSuppressed(legacy)).toBe(true);
      expect(await after.isSuppressed(erased)).toBe(false);
      expect(await during.isSuppressed(erased)).toBe(true);
      // Seen again, it is re-keyed: now the new secret alone finds it.
      expect(await after.isSuppressed(erased)).toBe(true);
      const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM suppressions WHERE email_hash = $1`, [before.hashOf(erased)]);
      expect(n).toBe(0);
    } finally {
      // Leave the shared test database under the test secret for the files after this one.
      await rotate(oldSecret, newSecret);
    }
  });

  it('security:rotate-secret refuses to run without the previous secret', async () => {
    const proc = runDist('cli.js', {}, ['security:rotate-secret']);
    expect((await proc.exited).code).toBe(1);
    expect(proc.output()).toContain('APP_SECRET_PREVIOUS');
  });
});
