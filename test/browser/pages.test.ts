import * as ical from 'node-ical';
import { Browser, Page } from 'playwright-core';
import { CreateEventDto } from '../../src/events/dto/event.dto';
import { EventsAdminService } from '../../src/events/events-admin.service';
import { eventPayload, uniqueSlug as uniqueEventSlug } from '../factories/event.factory';
import { createPetition } from '../factories/petition.factory';
import { signupPayload, uniqueEmail } from '../factories/signup.factory';
import {
  BROWSER_TEST_TIMEOUT_MS,
  direction,
  MAIL_WAIT_MS,
  fillForm,
  launchBrowser,
  linksIn,
  localeNumber,
  poll,
  RecordedContext,
  startWebPlatform,
  unlabelledFields,
  WebPlatform,
} from '../support/browser';
import { ReceivedMail } from '../support/smtp-sink';

/**
 * The public pages in a real browser (Debian's Chromium), JavaScript on, against the API and
 * workers listening on a real port with a real SMTP sink: what a supporter does, end to end.
 */
// A browser, the API and the workers share two cores with the rest of the suite: room to be slow.
jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

describe('public pages in Chromium (JavaScript on)', () => {
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
    recorded = await RecordedContext.create(browser);
  });
  afterEach(async () => {
    // Every page a supporter opens talks to the platform and to nobody else.
    recorded.expectOnlyOrigins([web.origin]);
    await recorded.close();
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await web.platform.db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);

  /** The one link in `mail` whose path starts with `prefix`. */
  function link(mail: ReceivedMail, prefix: string): string {
    const found = linksIn(mail.parsed.text, web.baseUrl).filter((url) => new URL(url).pathname.startsWith(prefix));
    expect(found).toHaveLength(1);
    return found[0];
  }

  /** Opens an email's link page, checks it changed nothing yet, presses its button. */
  async function pressLinkButton(page: Page, url: string): Promise<void> {
    await page.goto(url);
    const button = page.locator('form[method="post"] button[type="submit"]');
    expect(await button.count()).toBe(1);
    await Promise.all([page.waitForNavigation(), button.click()]);
  }

  it('confirms a join from the email link page, in Persian (right to left), with one press of its button', async () => {
    const email = uniqueEmail('link-page');
    const res = await fetch(`${web.baseUrl}/api/v1/signups`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(signupPayload({ email, language: 'fa' })),
    });
    expect(res.status).toBe(202);
    const [mail] = await web.sink.waitFor(email, 1, MAIL_WAIT_MS);
    const page = await recorded.newPage();

    await page.goto(link(mail, '/confirm/'));
    expect(await page.locator('html').getAttribute('lang')).toBe('fa');
    expect(await direction(page, 'body')).toBe('rtl');
    // Opening the page (as a mail scanner would) confirms nothing.
    expect(await count(`people WHERE email_normalized = $1 AND confirmed_at IS NOT NULL`, [email])).toBe(0);

    await pressLinkButton(page, link(mail, '/confirm/'));
    expect(await count(`people WHERE email_normalized = $1 AND confirmed_at IS NOT NULL`, [email])).toBe(1);
    expect(await page.locator('form button[type="submit"]').count()).toBe(0);
  });

  it('signs a petition from its Arabic page, confirms from the email and sees the live count change', async () => {
    const petition = await createPetition(web.platform.api, {
      language: 'en',
      translations: {
        ar: { title: 'أطلقوا سراح الصحفيين', summary: 'أفرجوا عن كل صحفي سُجن بسبب عمله.', body: 'الصحافة ليست جريمة.' },
      },
    });
    const petitionUrl = `${web.baseUrl}/p/${petition.slug}?lang=ar`;
    const page = await recorded.newPage();
    await page.goto(petitionUrl);

    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    expect(await direction(page, 'body')).toBe('rtl');
    const form = page.locator('[data-form="sign"]');
    expect(await direction(page, '[data-form="sign"]')).toBe('rtl');
    expect(await page.locator('h1').textContent()).toContain('أطلقوا سراح الصحفيين');
    const counter = page.locator('[data-signature-count]').first();
    const before = localeNumber(await counter.textContent());
    expect(before).toBe(0);

    expect(await unlabelledFields(form)).toEqual([]);
    const email = uniqueEmail('arabic-signer');
    await fillForm(form, { email, givenName: 'ليلى', familyName: 'حداد', country: 'LB' });
    expect(await page.locator('[data-thanks]').isVisible()).toBe(false);
    await form.locator('button[type="submit"]').click();
    // JavaScript on: the form is sent by fetch and thanked in place, no navigation.
    await page.locator('[data-thanks]').waitFor({ state: 'visible' });
    expect(page.url()).toBe(petitionUrl);
    expect(recorded.calls).toContain(`POST ${web.baseUrl}/api/v1/petitions/${petition.slug}/signatures`);

    const [mail] = await web.sink.waitFor(email, 1, MAIL_WAIT_MS);
    expect(mail.parsed.text).toContain('أطلقوا سراح الصحفيين');
    const confirmPage = await recorded.newPage();
    await pressLinkButton(confirmPage, link(mail, '/petitions/confirm/'));
    expect(await direction(confirmPage, 'body')).toBe('rtl');
    expect(await count(`signatures WHERE petition_id = $1 AND status = 'confirmed'`, [petition.id])).toBe(1);
    await confirmPage.close();

    // The count is aggregated by the worker and cached by the API for a moment; the page
    // still open polls it and shows the new number without a reload.
    expect(await poll(async () => localeNumber(await counter.textContent()), before + 1, 30_000)).toBe(before + 1);
    // And a fresh visit shows it too.
    await page.goto(petitionUrl);
    expect(localeNumber(await page.locator('[data-signature-count]').first().textContent())).toBe(before + 1);
  });

  it('RSVPs from an event page: thanked in place, the email carries the .ics, spots left go down once confirmed', async () => {
    const event = await web.platform.api
      .get(EventsAdminService)
      .create(eventPayload({ slug: uniqueEventSlug(), capacity: 5, title: 'Assemblée du mouvement' }) as unknown as CreateEventDto);
    const eventUrl = `${web.baseUrl}/e/${event.slug}?lang=fr`;
    const page = await recorded.newPage();
    await page.goto(eventUrl);
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    expect(await direction(page, 'body')).toBe('ltr');
    expect(localeNumber(await page.locator('[data-spots-left]').first().textContent())).toBe(5);

    const email = uniqueEmail('rsvp-page');
    const form = page.locator('[data-form="rsvp"]');
    expect(await unlabelledFields(form)).toEqual([]);
    await fillForm(form, { email, givenName: 'Camille', familyName: 'Martin', guests: '1' });
    expect(await page.locator('[data-thanks]').isVisible()).toBe(false);
    await form.locator('button[type="submit"]').click();
    await page.locator('[data-thanks]').waitFor({ state: 'visible' });
    expect(recorded.calls).toContain(`POST ${web.baseUrl}/api/v1/events/${event.slug}/rsvps`);

    const [confirmation] = await web.sink.waitFor(email, 1, MAIL_WAIT_MS);
    await pressLinkButton(page, link(confirmation, '/rsvp/confirm/'));
    expect((await web.platform.db.query(`SELECT status, guests FROM rsvps WHERE event_id = $1`, [event.id]))[0]).toEqual({
      status: 'going',
      guests: 1,
    });

    const [, outcome] = await web.sink.waitFor(email, 2, MAIL_WAIT_MS);
    const calendar = outcome.parsed.attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(calendar).toBeDefined();
    const vevent = Object.values(ical.sync.parseICS(calendar!.content.toString('utf8'))).find((c) => c?.type === 'VEVENT') as ical.VEvent;
    expect(vevent.start.toISOString()).toBe(new Date(event.startsAt).toISOString());
    expect(link(outcome, '/rsvp/cancel/')).toMatch(/\/rsvp\/cancel\/[A-Za-z0-9_-]{43}$/);

    // Two seats taken (the person and a guest): the page says so once its cache has moved on.
    const spotsLeft = async (): Promise<number> => {
      await page.goto(eventUrl);
      return localeNumber(await page.locator('[data-spots-left]').first().textContent());
    };
    expect(await poll(spotsLeft, 3)).toBe(3);
  });
});
