import AxeBuilder from '@axe-core/playwright';
import { Browser, Page } from 'playwright-core';
import { CreateEventDto } from '../../src/events/dto/event.dto';
import { EventsAdminService } from '../../src/events/events-admin.service';
import { eventPayload } from '../factories/event.factory';
import { createPerson } from '../factories/person.factory';
import { createPetition } from '../factories/petition.factory';
import {
  BROWSER_TEST_TIMEOUT_MS,
  direction,
  launchBrowser,
  RecordedContext,
  startWebPlatform,
  unlabelledFields,
  WebPlatform,
} from '../support/browser';
import { browserSignInAs } from '../support/console';

/**
 * The dashboard, lists and check-in screens in Chromium, at a phone's width and a
 * desktop's, in English and in Arabic (right to left): what an organizer does with them,
 * each page under axe-core (no serious or critical violation), nothing from another
 * origin, no CSP violation (the charts are SVG with presentation attributes only).
 */
jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

describe('console dashboard, lists and check-in in Chromium', () => {
  let web: WebPlatform;
  let browser: Browser;
  let recorded: RecordedContext;
  let eventId: string;
  let originalDefault: string;

  beforeAll(async () => {
    web = await startWebPlatform();
    browser = await launchBrowser();
    const db = web.platform.db;
    originalDefault = (await db.query(`SELECT id FROM lists WHERE is_default`))[0]?.id;
    // Confirmed signatures over the last days, so the charts have bars.
    const petition = await createPetition(web.platform.api, { goal: 100, title: 'Free the journalists' });
    await db.query(
      `INSERT INTO signatures (petition_id, status, consent_text_version, created_at, confirmed_at)
       SELECT $1, 'confirmed', 'v1', now() - (g % 20) * interval '1 day', now() - (g % 20) * interval '1 day' FROM generate_series(1, 60) g`,
      [petition.id],
    );
    const event = await web.platform.api
      .get(EventsAdminService)
      .create(eventPayload({ title: 'Assemblée', capacity: 10, waitlist: true }) as unknown as CreateEventDto);
    eventId = event.id;
    for (const [given, family, guests] of [
      ['Amal', 'Haddad', 2],
      ['Sam', 'Rivera', 0],
    ] as const) {
      const person = await createPerson(db, { givenName: given, familyName: family });
      await db.query(
        `INSERT INTO rsvps (event_id, person_id, email, given_name, family_name, guests, status, going_at, confirmed_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'going', now(), now())`,
        [eventId, person.id, person.email, given, family, guests],
      );
    }
  }, 60_000);
  afterAll(async () => {
    if (originalDefault) {
      await web.platform.db.query(`UPDATE lists SET is_default = false WHERE is_default AND id <> $1`, [originalDefault]);
      await web.platform.db.query(`UPDATE lists SET is_default = true, is_public = true WHERE id = $1`, [originalDefault]);
    }
    await browser?.close();
    await web?.close();
  });
  afterEach(async () => {
    recorded.expectOnlyOrigins([web.origin]);
    await recorded.close();
  });

  async function expectAccessible(page: Page): Promise<void> {
    const { violations } = await new AxeBuilder({ page }).analyze();
    const bad = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
    expect(bad).toEqual([]);
    for (const form of await page.locator('main form').all()) expect(await unlabelledFields(form)).toEqual([]);
  }

  async function useLanguage(page: Page, lang: 'en' | 'ar'): Promise<void> {
    await page.locator('#console-language').selectOption(lang);
    await Promise.all([page.waitForLoadState('load'), page.locator('form.console-language button').click()]);
    expect(await page.locator('html').getAttribute('lang')).toBe(lang);
    expect(await page.locator('html').getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
  }

  /** Nothing wider than the screen (a phone at the door must not scroll sideways). */
  async function expectNoSidewaysScroll(page: Page): Promise<void> {
    const widths = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document;
      return [doc.documentElement.scrollWidth, doc.documentElement.clientWidth];
    });
    expect(widths[0]).toBeLessThanOrEqual(widths[1] + 1);
  }

  for (const [device, viewport] of [
    ['phone', { width: 390, height: 844 }],
    ['desktop', { width: 1280, height: 900 }],
  ] as const) {
    it(`the dashboard draws its charts with their numbers, in English and Arabic (${device})`, async () => {
      recorded = await RecordedContext.create(browser, { viewport });
      const page = await recorded.newPage();
      await browserSignInAs(page, web.platform.api, web.baseUrl, 'viewer');
      for (const lang of ['en', 'ar'] as const) {
        await page.goto(`${web.baseUrl}/console/dashboard`);
        await useLanguage(page, lang);
        expect(new URL(page.url()).pathname).toBe('/console/dashboard');
        const chart = page.locator('svg#chart-signatures');
        expect(await chart.isVisible()).toBe(true);
        expect(await chart.getAttribute('role')).toBe('img');
        const box = await chart.boundingBox();
        expect(box!.width).toBeGreaterThan(200);
        expect(box!.width).toBeLessThanOrEqual(viewport.width);
        expect(await page.locator('svg#chart-signatures rect').count()).toBe(30);
        // The numbers as a table, one row a day.
        await page.locator('#signatures details summary').click();
        expect(await page.locator('#signatures-numbers tbody tr').count()).toBe(30);
        if (lang === 'ar') expect(await direction(page, 'main')).toBe('rtl');
        await expectAccessible(page);
        // 90 days, by a link (no script).
        await page.locator('a[href="/console/dashboard?days=90"]').click();
        await page.waitForURL(/days=90/);
        expect(await page.locator('svg#chart-signatures rect').count()).toBe(90);
        await expectAccessible(page);
      }
    });
  }

  it('lists: an organizer creates, renames and makes a list the default, in English then Arabic', async () => {
    recorded = await RecordedContext.create(browser, { viewport: { width: 1280, height: 900 } });
    const page = await recorded.newPage();
    await browserSignInAs(page, web.platform.api, web.baseUrl, 'organizer');
    await page.goto(`${web.baseUrl}/console`);
    await Promise.all([page.waitForLoadState('load'), page.locator('nav.console-nav a[href="/console/lists"]').click()]);
    await expectAccessible(page);
    const slug = `browser-${Date.now()}`;
    await page.locator('#list-name').fill('Volunteers');
    await page.locator('#list-slug').fill(slug);
    await page.locator('#list-public').check();
    await Promise.all([page.waitForURL(/done=created/), page.locator('form[action="/console/lists"] button[type="submit"]').click()]);
    expect(await page.locator('.notice').textContent()).toContain('The list is created.');
    const row = page.locator(`tr[data-list="${slug}"]`);
    expect(await row.locator('td').nth(1).textContent()).toBe('public');
    await row.locator('input[name="name"]').fill('Volunteers (Paris)');
    await Promise.all([page.waitForURL(/done=renamed/), row.getByRole('button', { name: 'Rename' }).click()]);
    expect(await page.locator(`tr[data-list="${slug}"] th`).textContent()).toBe('Volunteers (Paris)');
    await expectAccessible(page);

    await useLanguage(page, 'ar');
    await Promise.all([
      page.waitForURL(/done=default/),
      page.locator(`tr[data-list="${slug}"]`).getByRole('button', { name: 'اجعلها الافتراضية' }).click(),
    ]);
    expect(await page.locator('.notice').textContent()).toContain('أصبحت القائمة هي الافتراضية.');
    expect(await page.locator(`tr[data-list="${slug}"] td`).nth(2).textContent()).toBe('القائمة الافتراضية');
    expect(await direction(page, 'main')).toBe('rtl');
    await expectAccessible(page);
  });

  for (const lang of ['en', 'ar'] as const) {
    it(`check-in at the door on a phone, in ${lang}: search a name, check in, see the count move`, async () => {
      await web.platform.db.query(`UPDATE rsvps SET attended = NULL WHERE event_id = $1`, [eventId]);
      recorded = await RecordedContext.create(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      const page = await recorded.newPage();
      await browserSignInAs(page, web.platform.api, web.baseUrl, 'organizer');
      await page.goto(`${web.baseUrl}/console/events`);
      await useLanguage(page, lang);
      await expectAccessible(page);
      await Promise.all([page.waitForLoadState('load'), page.locator(`a[href="/console/events/${eventId}/check-in"]`).click()]);
      expect(await page.locator('[data-attended-count]').getAttribute('data-attended-count')).toBe('0');
      await expectAccessible(page);
      await page.locator('#check-in-q').fill('amal');
      await Promise.all([page.waitForURL(/q=amal/), page.locator('#check-in-q').press('Enter')]);
      const card = page.locator('ul.check-in li');
      expect(await card.count()).toBe(1);
      expect(await card.textContent()).toContain('Amal Haddad');
      await expectAccessible(page);
      await expectNoSidewaysScroll(page);
      await Promise.all([page.waitForURL(/done=in/), card.locator('button[type="submit"]').tap()]);
      expect(await page.locator('[data-attended-count]').getAttribute('data-attended-count')).toBe('1');
      expect(await page.locator('.notice').textContent()).toContain('Amal Haddad');
      expect(await page.locator('ul.check-in li [data-attended="true"]').count()).toBe(1);
      const [row] = await web.platform.db.query(`SELECT attended FROM rsvps WHERE event_id = $1 AND given_name = 'Amal'`, [eventId]);
      expect(row.attended).toBe(true);
      if (lang === 'ar') expect(await direction(page, 'main')).toBe('rtl');
      await expectAccessible(page);
      await expectNoSidewaysScroll(page);
    });
  }
});
