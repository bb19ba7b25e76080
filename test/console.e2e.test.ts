import request from 'supertest';
import { createHash, randomUUID } from 'node:crypto';
import { InvitationsService } from '../src/console-auth/invitations.service';
import { totpCode } from '../src/console-auth/second-factor';
import { createOrganizer } from './factories/organizer.factory';
import { consolePost, csrfTokenIn, inviteOrganizer, sessionCookieOf, signInAs, uniqueOrganizerEmail } from './support/console';
import { Platform, startPlatform } from './support/platform';
import { runDist } from './support/processes';
import { REDIS } from '../src/queues/redis.module';
import type { RedisClient } from '../src/queues/redis-options';

/**
 * The organizer console's sign-in, sessions and CSRF, attacked as an attacker would
 * (CONTRACT section 6): every refusal is checked to have changed nothing.
 */
describe('organizer console: sign-in, sessions, CSRF, roles', () => {
  let platform: Platform;
  const http = () => request(platform.api.getHttpServer());
  const ORIGIN = 'http://links.test';
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await platform.db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);
  const signInForm = (fields: Record<string, string>, origin = ORIGIN) =>
    http().post('/console/sign-in').set('origin', origin).type('form').send(fields);

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
  });
  afterAll(() => platform.close());

  it('organizer:invite prints a one-time URL under PUBLIC_URL alone on its last line; it works once', async () => {
    const email = uniqueOrganizerEmail('cli');
    const proc = runDist('cli.js', {}, ['organizer:invite', '--email', email, '--role', 'organizer']);
    const { code } = await proc.exited;
    expect(code).toBe(0);
    const lines = proc.output().trim().split('\n');
    const url = lines[lines.length - 1];
    expect(url).toMatch(/^http:\/\/links\.test\/console\/invitations\/[0-9a-f]{64}$/);
    const token = url.split('/').pop() as string;
    // Only the token's hash is stored.
    expect(JSON.stringify(await platform.db.query(`SELECT * FROM console_invitations`))).not.toContain(token);

    const page = await http().get(new URL(url).pathname);
    expect(page.status).toBe(200);
    // http://links.test is no secure context: no passkey there, and the page says why.
    expect(page.text).toContain('id="passkey-unavailable"');
    const secret = /name="totpSecret" value="([A-Z2-7]+)"/.exec(page.text)?.[1] as string;
    const mac = /name="totpMac" value="([0-9a-f]+)"/.exec(page.text)?.[1] as string;
    const enroll = () =>
      http()
        .post(`${new URL(url).pathname}/password`)
        .set('origin', ORIGIN)
        .type('form')
        .send({ password: 'a long enough password', totpSecret: secret, totpMac: mac, code: totpCode(secret) });
    const first = await enroll();
    expect(first.status).toBe(200);
    expect([...first.text.matchAll(/<li>[A-Z0-9]{5}-[A-Z0-9]{5}<\/li>/g)]).toHaveLength(10);
    expect(sessionCookieOf(first)).not.toBeNull();
    // Used: the link is dead, and so is a second enrollment through it.
    expect((await enroll()).status).toBe(404);
    expect((await http().get(new URL(url).pathname)).status).toBe(404);
    // The recovery codes are stored hashed.
    const codes = [...first.text.matchAll(/<li>([A-Z0-9]{5}-[A-Z0-9]{5})<\/li>/g)].map((m) => m[1]);
    expect(JSON.stringify(await platform.db.query(`SELECT * FROM console_recovery_codes`))).not.toContain(codes[0]);
  });

  it('an invitation older than 72 hours cannot be used', async () => {
    const { url, organizerId } = await inviteOrganizer(platform.api, 'viewer');
    await platform.db.query(`UPDATE console_invitations SET expires_at = now() - interval '1 second' WHERE organizer_id = $1`, [
      organizerId,
    ]);
    const page = await http().get(new URL(url).pathname);
    expect(page.status).toBe(404);
    expect(page.text).toContain('This invitation cannot be used');
  });

  it('signs in with password + TOTP; the same code is not accepted twice', async () => {
    const login = await signInAs(platform.api, 'organizer');
    const code = await login.nextTotp();
    const ok = await signInForm({ email: login.email, password: login.password, code });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/console');
    const replay = await signInForm({ email: login.email, password: login.password, code });
    expect(replay.status).toBe(401);
    expect(sessionCookieOf(replay)).toBeNull();
  });

  it('a recovery code works once', async () => {
    const login = await signInAs(platform.api, 'viewer');
    const [code] = login.recoveryCodes;
    const first = await signInForm({ email: login.email, password: login.password, code: code.toLowerCase() });
    expect(first.status).toBe(303);
    const again = await signInForm({ email: login.email, password: login.password, code });
    expect(again.status).toBe(401);
    expect(await count(`console_recovery_codes WHERE organizer_id = $1 AND used_at IS NULL`, [login.organizerId])).toBe(9);
  });

  it('gives the same answer for a wrong password, an unknown address and an account without a password', async () => {
    const login = await signInAs(platform.api, 'viewer');
    const passkeyOnly = await inviteOrganizer(platform.api, 'viewer');
    await platform.db.query(`INSERT INTO console_accounts (organizer_id) VALUES ($1)`, [passkeyOnly.organizerId]);
    const answers = await Promise.all([
      signInForm({ email: login.email, password: 'wrong password here', code: await login.nextTotp() }),
      signInForm({ email: uniqueOrganizerEmail('nobody'), password: login.password, code: '123456' }),
      signInForm({ email: passkeyOnly.email, password: login.password, code: '123456' }),
      signInForm({ email: login.email, password: login.password, code: '000000' }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.text).toBe(answers[0].text);
    }
  });

  it('session cookie: HttpOnly, SameSite=Strict, no Secure under http; a new id at each sign-in (no fixation)', async () => {
    const login = await signInAs(platform.api, 'viewer');
    const planted = 'console_session=' + 'A'.repeat(43);
    const res = await http()
      .post('/console/sign-in')
      .set('origin', ORIGIN)
      .set('cookie', planted)
      .type('form')
      .send({ email: login.email, password: login.password, code: await login.nextTotp() });
    expect(res.status).toBe(303);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^console_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    expect(sessionCookieOf(res)).not.toBe(planted);
    expect(sessionCookieOf(res)).not.toBe(login.cookie);
    // Only the hash of the id is stored.
    const id = (sessionCookieOf(res) as string).split('=')[1];
    expect(await count(`console_sessions WHERE id_hash = $1`, [createHash('sha256').update(id).digest('hex')])).toBe(1);
    expect(JSON.stringify(await platform.db.query(`SELECT * FROM console_sessions`))).not.toContain(id);
    // A planted (unknown) cookie is no session.
    expect((await http().get('/console').set('cookie', planted)).status).toBe(303);
  });

  it('a cross-site POST is refused with 403 and changes nothing, even with the right token', async () => {
    const admin = await signInAs(platform.api, 'admin');
    const email = uniqueOrganizerEmail('victim');
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
    ]) {
      const res = await http()
        .post('/console/organizers')
        .set('cookie', admin.cookie)
        .set(headers)
        .type('form')
        .send({ _csrf: admin.csrfToken, email, role: 'admin' });
      expect(res.status).toBe(403);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
    }
    expect(await count(`organizers WHERE email = $1`, [email])).toBe(0);
    // A cross-site sign-in (login CSRF) is refused too.
    expect((await signInForm({ email: admin.email, password: admin.password, code: '000000' }, 'https://evil.example')).status).toBe(403);
  });

  it('without the CSRF token, or with another session’s, a POST is refused and changes nothing', async () => {
    const admin = await signInAs(platform.api, 'admin');
    const other = await signInAs(platform.api, 'admin');
    const email = uniqueOrganizerEmail('csrf');
    const missing = await consolePost(
      platform.api,
      '/console/organizers',
      { cookie: admin.cookie, csrfToken: '' },
      { email, role: 'viewer' },
    );
    expect(missing.status).toBe(403);
    const foreign = await consolePost(
      platform.api,
      '/console/organizers',
      { cookie: admin.cookie, csrfToken: other.csrfToken },
      { email, role: 'viewer' },
    );
    expect(foreign.status).toBe(403);
    const noSession = await http()
      .post('/console/organizers')
      .set('origin', ORIGIN)
      .type('form')
      .send({ _csrf: admin.csrfToken, email, role: 'viewer' });
    expect(noSession.status).toBe(403);
    expect(await count(`organizers WHERE email = $1`, [email])).toBe(0);
    const ok = await consolePost(platform.api, '/console/organizers', admin, { email, role: 'viewer' });
    expect(ok.status).toBe(200);
    expect(await count(`organizers WHERE email = $1`, [email])).toBe(1);
  });

  it('an idle, an expired and a signed-out session are refused', async () => {
    const idle = await signInAs(platform.api, 'viewer');
    const old = await signInAs(platform.api, 'viewer');
    const out = await signInAs(platform.api, 'viewer');
    await platform.db.query(`UPDATE console_sessions SET last_seen_at = now() - interval '31 minutes' WHERE organizer_id = $1`, [
      idle.organizerId,
    ]);
    await platform.db.query(`UPDATE console_sessions SET expires_at = now() - interval '1 second' WHERE organizer_id = $1`, [
      old.organizerId,
    ]);
    expect((await consolePost(platform.api, '/console/sign-out', out)).status).toBe(303);
    expect(await count(`console_sessions WHERE organizer_id = $1`, [out.organizerId])).toBe(1); // the enrollment's own session
    for (const login of [idle, old, out]) {
      const res = await http().get('/console').set('cookie', login.cookie);
      expect(res.status).toBe(303);
      expect(res.headers.location).toBe('/console/sign-in');
      expect((await consolePost(platform.api, '/console/language', login, { lang: 'fr' })).status).toBe(403);
    }
  });

  it('a revoked organizer is out at once, through the console or the API; a role change ends sessions', async () => {
    const admin = await signInAs(platform.api, 'admin');
    const target = await signInAs(platform.api, 'organizer');
    expect((await http().get('/console').set('cookie', target.cookie)).status).toBe(200);
    const changed = await consolePost(platform.api, `/console/organizers/${target.organizerId}/role`, admin, { role: 'viewer' });
    expect(changed.status).toBe(200);
    expect((await http().get('/console').set('cookie', target.cookie)).status).toBe(303);
    expect(await count(`console_sessions WHERE organizer_id = $1`, [target.organizerId])).toBe(0);

    const again = await signInAs(platform.api, 'organizer');
    expect((await http().get('/console').set('cookie', again.cookie)).status).toBe(200);
    // Revoked through the organizer API (an API key of another admin): the session is dead at the next request.
    const keyAdmin = await createOrganizer(platform.api, 'admin');
    expect(
      (await http().delete(`/api/v1/admin/organizers/${again.organizerId}`).set('authorization', `Bearer ${keyAdmin.apiKey}`)).status,
    ).toBe(204);
    expect((await http().get('/console').set('cookie', again.cookie)).status).toBe(303);
    expect((await signInForm({ email: again.email, password: again.password, code: await again.nextTotp() })).status).toBe(401);

    const third = await signInAs(platform.api, 'viewer');
    expect((await consolePost(platform.api, `/console/organizers/${third.organizerId}/revoke`, admin)).status).toBe(200);
    expect((await http().get('/console/security').set('cookie', third.cookie)).status).toBe(303);
  });

  it('an admin resets another organizer: credentials and sessions gone, a new invitation emailed (ids only in the queue)', async () => {
    const admin = await signInAs(platform.api, 'admin');
    const target = await signInAs(platform.api, 'organizer');
    const reset = await consolePost(platform.api, `/console/organizers/${target.organizerId}/reset`, admin);
    expect(reset.status).toBe(200);
    expect(reset.text).toContain(`The sign-in of ${target.email} was reset`);
    expect((await http().get('/console').set('cookie', target.cookie)).status).toBe(303);
    expect((await signInForm({ email: target.email, password: target.password, code: await target.nextTotp() })).status).toBe(401);
    expect(await count(`console_recovery_codes WHERE organizer_id = $1`, [target.organizerId])).toBe(0);
    const [message] = await platform.db.query(
      `SELECT m.params, o.payload FROM email_messages m JOIN outbox o ON o.payload->>'messageId' = m.id::text
       WHERE m.kind = 'console-invitation' AND m.params->>'invitationId' IN (SELECT id::text FROM console_invitations WHERE organizer_id = $1 AND used_at IS NULL)`,
      [target.organizerId],
    );
    expect(Object.keys(message.params)).toEqual(['invitationId']);
    expect(Object.keys(message.payload)).toEqual(['messageId']);
    expect(
      await count(`audit_log WHERE action = 'organizer.reset' AND target_id = $1 AND organizer_id = $2`, [
        target.organizerId,
        admin.organizerId,
      ]),
    ).toBe(1);
  });

  it('an organizer removes one of their own passkeys, never another organizer’s', async () => {
    const login = await signInAs(platform.api, 'viewer');
    const other = await signInAs(platform.api, 'viewer');
    const insert = `INSERT INTO console_passkeys (organizer_id, credential_id, public_key, name) VALUES ($1, $2, '\\x00', 'passkey') RETURNING id`;
    const [{ id: mine }] = await platform.db.query(insert, [login.organizerId, `cred-${randomUUID()}`]);
    const [{ id: theirs }] = await platform.db.query(insert, [other.organizerId, `cred-${randomUUID()}`]);
    expect((await consolePost(platform.api, `/console/security/passkeys/${theirs}/delete`, login)).status).toBe(404);
    expect(await count(`console_passkeys WHERE id = $1`, [theirs])).toBe(1);
    const removed = await consolePost(platform.api, `/console/security/passkeys/${mine}/delete`, login);
    expect(removed.status).toBe(303);
    expect(await count(`console_passkeys WHERE id = $1`, [mine])).toBe(0);
  });

  it('nobody revokes, demotes or resets themselves (409, nothing changed)', async () => {
    const admin = await signInAs(platform.api, 'admin');
    expect((await consolePost(platform.api, `/console/organizers/${admin.organizerId}/revoke`, admin)).status).toBe(409);
    expect((await consolePost(platform.api, `/console/organizers/${admin.organizerId}/role`, admin, { role: 'viewer' })).status).toBe(409);
    expect((await http().get('/console').set('cookie', admin.cookie)).status).toBe(200);
  });

  it.each([
    ['viewer', ['/console/organizers', '/console/api-keys', '/console/audit'], ['/console', '/console/security']],
    ['organizer', ['/console/organizers', '/console/api-keys', '/console/audit'], ['/console', '/console/security']],
    ['admin', [], ['/console', '/console/security', '/console/organizers', '/console/api-keys', '/console/audit']],
  ] as const)('a %s reaches what the API lets it reach, and its navigation shows nothing else', async (role, refused, allowed) => {
    const login = await signInAs(platform.api, role);
    const home = await http().get('/console').set('cookie', login.cookie);
    for (const path of refused) {
      expect((await http().get(path).set('cookie', login.cookie)).status).toBe(403);
      expect(home.text).not.toContain(`href="${path}"`);
    }
    for (const path of allowed) {
      const res = await http().get(path).set('cookie', login.cookie);
      expect(res.status).toBe(200);
      expect(home.text).toContain(`href="${path}"`);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
      expect(res.headers['content-security-policy']).toMatch(/style-src 'self'(;|$)/);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    }
    if (role !== 'admin') {
      const email = uniqueOrganizerEmail('escalate');
      expect((await consolePost(platform.api, '/console/organizers', login, { email, role: 'admin' })).status).toBe(403);
      expect(await count(`organizers WHERE email = $1`, [email])).toBe(0);
    }
  });

  it('an admin creates an API key (shown once, stored hashed, it works) and revokes it; both audited', async () => {
    const admin = await signInAs(platform.api, 'admin');
    const created = await consolePost(platform.api, '/console/api-keys', admin, { organizerId: admin.organizerId });
    expect(created.status).toBe(200);
    const key = /id="new-api-key">(cpk_[A-Za-z0-9_-]{43})</.exec(created.text)?.[1] as string;
    expect(key).toBeDefined();
    expect((await http().get('/api/v1/admin/organizers').set('authorization', `Bearer ${key}`)).status).toBe(200);
    expect((await http().get('/console/api-keys').set('cookie', admin.cookie)).text).not.toContain(key);
    const [{ id }] = await platform.db.query(`SELECT id FROM api_keys WHERE key_hash = $1`, [
      createHash('sha256').update(key).digest('hex'),
    ]);
    expect((await consolePost(platform.api, `/console/api-keys/${id}/revoke`, admin)).status).toBe(200);
    expect((await http().get('/api/v1/admin/organizers').set('authorization', `Bearer ${key}`)).status).toBe(401);
    expect(
      await count(`audit_log WHERE organizer_id = $1 AND api_key_id IS NULL AND action IN ('api-key.create', 'api-key.revoke')`, [
        admin.organizerId,
      ]),
    ).toBe(2);
  });

  it('browses the audit log by who, what and when', async () => {
    const admin = await signInAs(platform.api, 'admin');
    const other = await signInAs(platform.api, 'admin');
    await consolePost(platform.api, '/console/organizers', other, { email: uniqueOrganizerEmail('audited'), role: 'viewer' });
    const mine = await http().get(`/console/audit?who=${admin.organizerId}&what=organizer.invite&from=&to=`).set('cookie', admin.cookie);
    expect(mine.status).toBe(200);
    expect(mine.text).toContain('id="audit-empty"');
    const theirs = await http().get(`/console/audit?who=${other.organizerId}&what=organizer.invite`).set('cookie', admin.cookie);
    expect(theirs.text).toContain('organizer.invite');
    const family = await http().get(`/console/audit?what=console.`).set('cookie', admin.cookie);
    expect(family.text).toContain('console.sign-in');
    const today = new Date().toISOString().slice(0, 10);
    expect((await http().get(`/console/audit?what=organizer.invite&from=${today}&to=${today}`).set('cookie', admin.cookie)).text).toContain(
      'organizer.invite',
    );
    expect((await http().get(`/console/audit?what=organizer.invite&to=2000-01-01`).set('cookie', admin.cookie)).text).toContain(
      'id="audit-empty"',
    );
    expect((await http().get(`/console/audit?what=DROP%20TABLE`).set('cookie', admin.cookie)).status).toBe(400);
  });

  it('regenerating recovery codes shows ten new ones once; the old ones stop working', async () => {
    const login = await signInAs(platform.api, 'viewer');
    const res = await consolePost(platform.api, '/console/security/recovery-codes', login);
    expect(res.status).toBe(200);
    const fresh = [...res.text.matchAll(/<li>([A-Z0-9]{5}-[A-Z0-9]{5})<\/li>/g)].map((m) => m[1]);
    expect(fresh).toHaveLength(10);
    expect((await signInForm({ email: login.email, password: login.password, code: login.recoveryCodes[0] })).status).toBe(401);
    expect((await signInForm({ email: login.email, password: login.password, code: fresh[0] })).status).toBe(303);
    expect((await http().get('/console/security').set('cookie', login.cookie)).text).not.toContain(fresh[1]);
  });

  it('answers in the organizer’s language, right to left in Arabic and Persian', async () => {
    const login = await signInAs(platform.api, 'viewer');
    expect((await consolePost(platform.api, '/console/language', login, { lang: 'ar', next: '/console/security' })).headers.location).toBe(
      '/console/security',
    );
    const page = await http().get('/console').set('cookie', login.cookie);
    expect(page.text).toMatch(/<html lang="ar" dir="rtl">/);
    expect(csrfTokenIn(page.text)).toBe(login.csrfToken);
    const signIn = await http().get('/console/sign-in?lang=fa');
    expect(signIn.text).toMatch(/<html lang="fa" dir="rtl">/);
    // An open redirect through `next` is refused.
    expect((await consolePost(platform.api, '/console/language', login, { lang: 'en', next: '//evil.example/' })).status).toBe(400);
  });
});

describe('organizer console: https cookies and the sign-in throttle', () => {
  let platform: Platform;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    platform = await startPlatform(
      { PUBLIC_URL: 'https://console.test', CONSOLE_SIGNIN_PER_ACCOUNT: '3', CONSOLE_SIGNIN_PER_ADDRESS: '8' },
      { worker: false },
    );
    // The first suite's sign-ins came from this address too: start its count afresh.
    const redis = platform.api.get<symbol, RedisClient>(REDIS);
    // The client queues nothing while it connects (enableOfflineQueue off): wait until it is up.
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
    const keys = await redis.keys('test:console-signin:*');
    if (keys.length > 0) await redis.del(...keys);
  });
  afterAll(() => platform.close());

  it('under https the cookie is __Host- prefixed and Secure', async () => {
    const invited = await inviteOrganizer(platform.api, 'viewer');
    // A domain name over https: passkeys are offered (the button's label says "passkey").
    expect((await http().get(new URL(invited.url).pathname)).text).toMatch(/<button[^>]*>\s*Create a passkey\s*<\/button>/);
    const login = await signInAs(platform.api, 'viewer');
    expect(login.cookie).toMatch(/^__Host-console_session=/);
    const again = await http()
      .post('/console/sign-in')
      .set('origin', 'https://console.test')
      .type('form')
      .send({ email: login.email, password: login.password, code: await login.nextTotp() });
    expect(String(again.headers['set-cookie'])).toMatch(
      /^__Host-console_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+; Secure$/,
    );
    // The plain name is not read under https.
    expect((await http().get('/console').set('cookie', login.cookie.replace('__Host-', ''))).status).toBe(303);
  });

  it('throttles per account and per address with 429 and Retry-After, before checking anything', async () => {
    const email = uniqueOrganizerEmail('throttled');
    const attempt = (who: string) =>
      http()
        .post('/console/sign-in')
        .set('origin', 'https://console.test')
        .type('form')
        .send({ email: who, password: 'x'.repeat(12), code: '123456' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt(email)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await attempt(email);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(limited.text).toContain('Too many attempts');
    // Other addresses typed from the same client: the per-address limit (8) stops them too.
    const more: number[] = [];
    for (let i = 0; i < 4; i++) more.push((await attempt(uniqueOrganizerEmail('spray'))).status);
    expect(more.slice(-1)).toEqual([429]);
    // A passkey ceremony from this address is throttled as well.
    expect((await http().post('/console/sign-in/passkey/options').set('origin', 'https://console.test').send({})).status).toBe(429);
  });
});

describe('organizer console: the first admin’s set-up link', () => {
  let platform: Platform;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
  });
  afterAll(() => platform.close());

  it('asks for the address, then refuses when an admin exists meanwhile (nobody else becomes admin)', async () => {
    const invitations = platform.api.get(InvitationsService);
    await createOrganizer(platform.api, 'admin');
    // What `npm start` makes on an empty install (the test database has organizers already).
    const id = randomUUID();
    await platform.db.query(
      `INSERT INTO console_invitations (id, organizer_id, role, token_hash, expires_at) VALUES ($1, NULL, 'admin', $2, now() + interval '1 hour')`,
      [id, createHash('sha256').update(invitations.tokenFor(id)).digest('hex')],
    );
    expect(await invitations.setupLink()).toBeNull();
    const path = `/console/invitations/${invitations.tokenFor(id)}`;
    const page = await http().get(path);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Set up the first admin');
    const email = uniqueOrganizerEmail('usurper');
    const res = await http().post(`${path}/setup`).set('origin', 'http://links.test').type('form').send({ email });
    expect(res.status).toBe(409);
    expect(res.text).toContain('An admin already exists');
    const rows = await platform.db.query(`SELECT 1 FROM organizers WHERE email = $1`, [email]);
    expect(rows).toHaveLength(0);
  });

  it('on an IP-address PUBLIC_URL the sign-in page says why there is no passkey and offers password + TOTP', async () => {
    const other = await startPlatform({ PUBLIC_URL: 'http://192.0.2.10:3000' }, { worker: false });
    try {
      const page = await request(other.api.getHttpServer()).get('/console/sign-in');
      expect(page.text).toContain('id="passkey-unavailable"');
      expect(page.text).toContain('192.0.2.10');
      expect(page.text).not.toContain('data-passkey=');
      expect(page.text).toContain('name="password"');
    } finally {
      await other.close();
    }
  });
});
