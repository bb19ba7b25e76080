import AxeBuilder from '@axe-core/playwright';
import { Browser, Page } from 'playwright-core';
import { browserSignInAs, signInAs, uniqueOrganizerEmail } from '../support/console';
import {
  BROWSER_TEST_TIMEOUT_MS,
  direction,
  launchBrowser,
  linksIn,
  MAIL_WAIT_MS,
  RecordedContext,
  startHostSite,
  startWebPlatform,
  unlabelledFields,
  WebPlatform,
} from '../support/browser';

/**
 * The organizer console in Debian's Chromium, on PUBLIC_URL http://localhost:PORT (browsers
 * allow passkeys on localhost, never on a bare IP): a passkey through Chromium's virtual
 * authenticator (DevTools WebAuthn domain), password + TOTP, every page under axe-core, right
 * to left in Arabic, and a cross-site form refused.
 */
jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

describe('organizer console in Chromium', () => {
  let web: WebPlatform;
  let browser: Browser;
  let recorded: RecordedContext;

  beforeAll(async () => {
    web = await startWebPlatform({}, { hostname: 'localhost' });
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });
  beforeEach(async () => {
    recorded = await RecordedContext.create(browser, { viewport: { width: 1280, height: 900 } });
  });
  afterEach(async () => {
    // The console talks to its own origin and to nobody else, and breaks no CSP rule.
    recorded.expectOnlyOrigins([web.origin]);
    await recorded.close();
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await web.platform.db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);

  async function virtualAuthenticator(page: Page): Promise<void> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
  }

  /** No serious or critical axe-core violation on the page as it is. */
  async function expectAccessible(page: Page): Promise<void> {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
    expect(bad).toEqual([]);
  }

  it('an invited organizer enrolls a passkey from the emailed link, sees ten recovery codes once, and signs in with the passkey', async () => {
    const admin = await signInAs(web.platform.api, 'admin');
    const page = await recorded.newPage();
    await virtualAuthenticator(page);
    // The admin invites from the console, in the browser: the invitation is emailed.
    await page
      .context()
      .addCookies([{ name: 'console_session', value: admin.cookie.split('=')[1], url: web.baseUrl, httpOnly: true, sameSite: 'Strict' }]);
    await page.goto(`${web.baseUrl}/console/organizers`);
    const email = uniqueOrganizerEmail('passkey');
    await page.locator('#invite-email').fill(email);
    await page.locator('#invite-role').selectOption('organizer');
    await Promise.all([page.waitForLoadState('load'), page.locator('form[action="/console/organizers"] button[type="submit"]').click()]);
    expect(await page.locator('.notice').textContent()).toContain(email);
    await page.context().clearCookies();

    const [mail] = await web.sink.waitFor(email, 1, MAIL_WAIT_MS);
    const [link] = linksIn(mail.parsed.text, web.baseUrl).filter((u) => new URL(u).pathname.startsWith('/console/invitations/'));
    expect(link).toBeDefined();
    await page.goto(link);
    await expectAccessible(page);
    const button = page.getByRole('button', { name: /passkey/ });
    await button.click();
    await page.locator('#recovery-codes').waitFor({ state: 'visible' });
    const codes = await page.locator('#recovery-codes li').allTextContents();
    expect(codes).toHaveLength(10);
    expect(await count(`console_passkeys p JOIN organizers o ON o.id = p.organizer_id WHERE o.email = $1`, [email])).toBe(1);
    await Promise.all([page.waitForURL(`${web.baseUrl}/console`), page.locator('#recovery-codes a').click()]);
    expect(await page.locator('h1').textContent()).toBe('Console');

    // Signed out (a POST that ends the session on the server), then in again with the passkey.
    await Promise.all([page.waitForURL(/\/console\/sign-in/), page.locator('form.console-sign-out button').click()]);
    expect(await count(`console_sessions s JOIN organizers o ON o.id = s.organizer_id WHERE o.email = $1`, [email])).toBe(0);
    await expectAccessible(page);
    await Promise.all([page.waitForURL(`${web.baseUrl}/console`), page.getByRole('button', { name: 'Sign in with a passkey' }).click()]);
    expect(await page.locator('.console-who').textContent()).toContain(email);
    expect(
      await count(
        `audit_log a JOIN organizers o ON o.id = a.organizer_id WHERE o.email = $1 AND a.action = 'console.sign-in' AND a.details->>'via' = 'passkey'`,
        [email],
      ),
    ).toBe(1);
    // /console/security lists it; removing the only way in (no password) is refused.
    await page.goto(`${web.baseUrl}/console/security`);
    await expectAccessible(page);
    expect(await page.getByRole('button', { name: 'Add a passkey' }).isVisible()).toBe(true);
    const [removed] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: 'Remove' }).click(),
    ]);
    expect(removed.status()).toBe(409);
    expect(await count(`console_passkeys p JOIN organizers o ON o.id = p.organizer_id WHERE o.email = $1`, [email])).toBe(1);
  });

  it('signs in with password + TOTP; every console page, reached by links from /console, passes axe-core and labels its fields', async () => {
    const page = await recorded.newPage();
    await browserSignInAs(page, web.platform.api, web.baseUrl, 'admin');
    const paths = await page
      .locator('nav.console-nav a')
      .evaluateAll((links) => links.map((a) => (a as unknown as { pathname: string }).pathname));
    expect(paths).toEqual(
      expect.arrayContaining(['/console', '/console/security', '/console/organizers', '/console/api-keys', '/console/audit']),
    );
    for (const path of paths) {
      await page.goto(`${web.baseUrl}${path}`);
      await expectAccessible(page);
      for (const form of await page.locator('main form').all()) expect(await unlabelledFields(form)).toEqual([]);
    }
    // Keyboard: the skip link is the first stop and leads to the content.
    await page.goto(`${web.baseUrl}/console`);
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { document: { activeElement: { className: string } } }).document.activeElement.className,
      ),
    ).toBe('skip-link');
    // The sign-in page and a dead invitation too.
    const anonymous = await recorded.context.browser()!.newContext();
    const other = await anonymous.newPage();
    for (const path of ['/console/sign-in', `/console/invitations/${'0'.repeat(64)}`]) {
      await other.goto(`${web.baseUrl}${path}`);
      await expectAccessible(other);
    }
    await anonymous.close();
  });

  it('an Arabic console page renders right to left', async () => {
    const page = await recorded.newPage();
    await browserSignInAs(page, web.platform.api, web.baseUrl, 'viewer');
    await page.locator('#console-language').selectOption('ar');
    await Promise.all([page.waitForLoadState('load'), page.locator('form.console-language button').click()]);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    expect(await direction(page, 'main')).toBe('rtl');
    expect(await page.locator('h1').textContent()).toBe('اللوحة');
    await expectAccessible(page);
  });

  it('a viewer does not see, and cannot open, what the API refuses it', async () => {
    const page = await recorded.newPage();
    await browserSignInAs(page, web.platform.api, web.baseUrl, 'viewer');
    expect(await page.locator('nav.console-nav a[href="/console/organizers"]').count()).toBe(0);
    const res = await page.goto(`${web.baseUrl}/console/organizers`);
    expect(res?.status()).toBe(403);
    await expectAccessible(page);
  });

  it('a form on another site posting to the console is refused (403) and changes nothing', async () => {
    const page = await recorded.newPage();
    const admin = await browserSignInAs(page, web.platform.api, web.baseUrl, 'admin');
    const email = uniqueOrganizerEmail('cross-site');
    const host = await startHostSite(
      () => `<!doctype html><html lang="en"><title>x</title><form method="post" action="${web.baseUrl}/console/organizers">
<input name="_csrf" value="${admin.csrfToken}"><input name="email" value="${email}"><input name="role" value="admin">
<button type="submit">Win a prize</button></form></html>`,
    );
    try {
      await page.goto(host.url);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${web.baseUrl}/console/organizers`),
        page.locator('button').click(),
      ]);
      expect(response.status()).toBe(403);
      expect(await count(`organizers WHERE email = $1`, [email])).toBe(0);
    } finally {
      recorded.requests.splice(0); // the host site's own page is not the console's doing
      await host.close();
    }
    await page.goto(`${web.baseUrl}/console`);
  });
});
