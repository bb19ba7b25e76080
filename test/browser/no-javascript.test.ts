import { Browser, Page } from 'playwright-core';
import { uniqueEmail } from '../factories/signup.factory';
import {
  BROWSER_TEST_TIMEOUT_MS,
  fillForm,
  launchBrowser,
  MAIL_WAIT_MS,
  RecordedContext,
  startWebPlatform,
  unlabelledFields,
  WebPlatform,
} from '../support/browser';

/**
 * JavaScript off (Tor Browser's safest level, old phones): every form still works as a plain
 * HTML form POST, answered by a thank-you page or by the same form with its errors.
 */
// A browser, the API and the workers share two cores with the rest of the suite: room to be slow.
jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

describe('public pages in Chromium with JavaScript disabled', () => {
  let web: WebPlatform;
  let browser: Browser;
  let recorded: RecordedContext;

  beforeAll(async () => {
    web = await startWebPlatform();
    browser = await launchBrowser();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });
  beforeEach(async () => {
    recorded = await RecordedContext.create(browser, { javaScriptEnabled: false });
  });
  afterEach(async () => {
    recorded.expectOnlyOrigins([web.origin]);
    // Nothing went through the JSON API: the browser could not have run a fetch.
    expect(recorded.calls.filter((call) => call.includes('/api/'))).toEqual([]);
    await recorded.close();
  });

  async function submit(page: Page, values: Record<string, string | boolean>): Promise<void> {
    const form = page.locator('[data-form="join"]');
    await fillForm(form, values);
    await Promise.all([page.waitForNavigation(), form.locator('button[type="submit"]').click()]);
  }

  it('joins from the join page: the form POSTs to the page, a thank-you page answers, the email follows', async () => {
    const page = await recorded.newPage();
    await page.goto(`${web.baseUrl}/`);
    expect(await unlabelledFields(page.locator('[data-form="join"]'))).toEqual([]);
    const email = uniqueEmail('no-js');
    await submit(page, { email, givenName: 'Sam', consent: true });

    // A plain form POST to the page's own URL (its ?lang= kept).
    expect(recorded.calls.filter((call) => call.startsWith(`POST ${web.baseUrl}/`)).map((call) => new URL(call.slice(5)).pathname)).toEqual(
      ['/'],
    );
    await page.locator('[data-thanks]').waitFor({ state: 'visible' });
    expect((await page.locator('[data-thanks]').textContent())?.trim()).not.toBe('');
    const [mail] = await web.sink.waitFor(email, 1, MAIL_WAIT_MS);
    expect(mail.parsed.subject).toBe('Confirm that you want to join the movement');
  });

  it('answers a refused field with the form again, the error shown and tied to its field', async () => {
    const page = await recorded.newPage();
    await page.goto(`${web.baseUrl}/?lang=fr`);
    // The browser's own check lets "name@host" through (no dot needed); the server refuses it.
    const email = 'sam@example';
    await submit(page, { email, givenName: 'Sam', consent: true });

    expect(await page.locator('[data-thanks]').isVisible()).toBe(false);
    const field = page.locator('[data-form="join"] [name="email"]');
    const describedBy = (await field.getAttribute('aria-describedby'))?.split(/\s+/) ?? [];
    const errors = page.locator('.field-error');
    expect(await errors.count()).toBeGreaterThan(0);
    const errorIds = await errors.evaluateAll((nodes) => nodes.map((n) => (n as unknown as { id: string }).id));
    const emailErrors = errorIds.filter((id) => id !== '' && describedBy.includes(id));
    expect(emailErrors).toHaveLength(1);
    const message = await page.locator(`[id="${emailErrors[0]}"]`).textContent();
    expect(message?.trim()).not.toBe('');
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    // Nothing was accepted, so nothing is mailed.
    expect(web.sink.to(email)).toHaveLength(0);
  });
});
