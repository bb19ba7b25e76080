import request from 'supertest';
import { consolePost, csrfTokenIn, sessionCookieOf, signInAs } from './support/console';
import { Platform, startPlatform } from './support/platform';

describe('organizer console: sessions and CSRF', () => {
  let platform: Platform;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
  });
  afterAll(() => platform.close());

  it('signs in with password + TOTP through the real endpoints and opens /console', async () => {
    const login = await signInAs(platform.api, 'admin');
    const home = await http().get('/console').set('cookie', login.cookie);
    expect(home.status).toBe(200);
    expect(home.headers['cache-control']).toBe('no-store');
    expect(home.text).toContain(login.email);
    expect(csrfTokenIn(home.text)).toBe(login.csrfToken);
    expect(sessionCookieOf({ headers: { 'set-cookie': [] } })).toBeNull();
  });

  it('signs out on the server', async () => {
    const login = await signInAs(platform.api, 'viewer');
    const out = await consolePost(platform.api, '/console/sign-out', login);
    expect(out.status).toBe(303);
    const after = await http().get('/console').set('cookie', login.cookie);
    expect(after.status).toBe(303);
    expect(after.headers.location).toBe('/console/sign-in');
  });
});
