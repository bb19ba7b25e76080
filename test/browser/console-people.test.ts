import AxeBuilder from '@axe-core/playwright';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { createPerson } from '../factories/person.factory';
import { uniqueEmail } from '../factories/signup.factory';
import { BROWSER_TEST_TIMEOUT_MS, launchBrowser, RecordedContext, startWebPlatform, WebPlatform } from '../support/browser';
import type { Role } from '../../src/organizers/organizer.entity';
import { signInAs } from '../support/console';

/**
 * The console's People, Imports and Exports screens in Chromium, signed in through the
 * console's own sign-in form: a person found, tagged and erased; a 10,000-line CSV imported
 * through the wizard with its report; an export downloaded; every page under axe-core.
 */
jest.setTimeout(BROWSER_TEST_TIMEOUT_MS * 2);

describe('console people, imports and exports in Chromium', () => {
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
    recorded = await RecordedContext.create(browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  });
  afterEach(async () => {
    recorded.expectOnlyOrigins([web.origin]);
    await recorded.close();
  });

  /** An organizer of `role` signed in through the console's own endpoints (test/support/console.ts), its session in this page. */
  async function signedIn(page: Page, role: Role): Promise<void> {
    const login = await signInAs(web.platform.api, role);
    const [name, value] = login.cookie.split('=');
    await page.context().addCookies([{ name, value, url: web.baseUrl, httpOnly: true, sameSite: 'Strict' }]);
    await page.goto(`${web.baseUrl}/console`);
  }

  /** No serious or critical axe-core violation on the page as it is. */
  async function expectAccessible(page: Page): Promise<void> {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${page.url()} ${v.id}: ${v.help} (${v.nodes.length})`);
    expect(bad).toEqual([]);
  }

  it('finds a person, tags them and erases them behind the typed address; each page passes axe-core', async () => {
    const email = uniqueEmail('browser');
    await createPerson(web.platform.db, { email, givenName: 'Leïla', familyName: 'حداد', country: 'LB', language: 'ar' });
    const page = await recorded.newPage();
    await signedIn(page, 'organizer');

    await page.getByRole('link', { name: 'People' }).first().click();
    await expectAccessible(page);
    await page.locator('#f-name').fill('leï');
    await page.locator('#f-country').fill('LB');
    await Promise.all([page.waitForURL(/\/console\/people\?/), page.getByRole('button', { name: 'Search' }).click()]);
    await expectAccessible(page);
    await Promise.all([page.waitForURL(/\/console\/people\/[0-9a-f-]{36}$/), page.getByRole('link', { name: email }).click()]);
    expect(await page.locator('main').innerText()).toContain('Leïla حداد');
    await expectAccessible(page);

    await page.locator('#new-tag').fill('volunteer');
    await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: 'Add tag' }).click()]);
    await page.waitForSelector('text=volunteer');
    const [{ count }] = await web.platform.db.query(
      `SELECT count(*)::int FROM person_tags t JOIN people p ON p.id = t.person_id WHERE p.email = $1`,
      [email],
    );
    expect(count).toBe(1);

    await page.locator('#erase-confirm').fill('wrong@address.test');
    await page.getByRole('button', { name: 'Erase for good' }).click();
    await page.waitForSelector('text=nothing was erased');
    expect(await web.platform.db.query(`SELECT 1 FROM people WHERE email = $1`, [email])).toHaveLength(1);
    await page.goBack();
    await page.locator('#erase-confirm').fill(email);
    await Promise.all([page.waitForURL(/\/console\/people\?erased=1$/), page.getByRole('button', { name: 'Erase for good' }).click()]);
    expect(await page.locator('[role="status"]').first().innerText()).toContain('erased');
    expect(await web.platform.db.query(`SELECT 1 FROM people WHERE email = $1`, [email])).toHaveLength(0);
  });

  it('imports a 10,000-line CSV through the wizard: mapping, preview, progress, report with every rejected line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'console-import-'));
    const file = join(dir, 'supporters.csv');
    const lines = ['E-mail,First name,Country,Notes'];
    for (let i = 1; i <= 10_000; i++) {
      // Every 1,000th line has an address that is not one: 10 rejected lines.
      lines.push(i % 1000 === 0 ? `not-an-address-${i},X,FR,n` : `bulk-${i}-${Date.now()}@import.test,Name ${i},${i % 2 ? 'LB' : 'IR'},n`);
    }
    writeFileSync(file, lines.join('\n'));
    const page = await recorded.newPage();
    await signedIn(page, 'organizer');
    await page.goto(`${web.baseUrl}/console`);
    await page.getByRole('link', { name: 'Imports' }).first().click();
    await expectAccessible(page);
    await page.locator('#import-file').setInputFiles(file);
    await Promise.all([page.waitForURL(/\/console\/imports\/[0-9a-f-]{36}$/), page.getByRole('button', { name: 'Upload' }).click()]);
    await expectAccessible(page);
    // Guessed from the header: E-mail → email, First name → given name, Country → country, Notes ignored.
    expect(await page.locator('#field-0').inputValue()).toBe('email');
    expect(await page.locator('#field-1').inputValue()).toBe('givenName');
    expect(await page.locator('#field-2').inputValue()).toBe('country');
    expect(await page.locator('#field-3').inputValue()).toBe('');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.waitForSelector('#preview-h');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'Start the import' }).click();
    // The page refreshes itself (a same-origin script) until the report is there.
    await page.waitForSelector('#report-h', { timeout: 120_000 });
    await expectAccessible(page);
    expect(await page.locator('main').innerText()).toContain('9990 people added, 0 updated, 10 lines rejected.');
    const rows = await page.locator('table tbody tr').allInnerTexts();
    expect(rows).toHaveLength(10);
    expect(rows[0]).toContain('1001');
    const download = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download the rejected lines/ }).click(),
    ]).then(([d]) => d);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.trim().split('\n')).toHaveLength(11);
    const [{ count }] = await web.platform.db.query(`SELECT count(*)::int FROM people WHERE email LIKE 'bulk-%@import.test'`);
    expect(count).toBeGreaterThanOrEqual(9_990);
  });

  it('downloads a people export from the exports screen; the screen passes axe-core', async () => {
    const tag = `dl-${Date.now()}`;
    await createPerson(web.platform.db, { tags: [tag] });
    const page = await recorded.newPage();
    await signedIn(page, 'organizer');
    await page.getByRole('link', { name: 'Exports' }).first().click();
    await expectAccessible(page);
    await page.locator('#p-tag').fill(tag);
    const download = await Promise.all([
      page.waitForEvent('download'),
      page.locator('form[action="/console/exports/people.csv"] button').click(),
    ]).then(([d]) => d);
    expect(download.suggestedFilename()).toBe('people.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.trim().split('\n')).toHaveLength(2);
  });

  it('renders the people screen right to left in Persian, and a viewer sees no import or export link', async () => {
    const page = await recorded.newPage();
    await signedIn(page, 'viewer');
    await page.locator('#console-language').selectOption('fa');
    await Promise.all([page.waitForLoadState('load'), page.locator('form.console-language button').click()]);
    await page.goto(`${web.baseUrl}/console/people`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await expectAccessible(page);
    expect(await page.locator('a[href="/console/imports"]').count()).toBe(0);
    expect(await page.locator('a[href="/console/exports"]').count()).toBe(0);
  });
});
