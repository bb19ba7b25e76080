import { Browser, Frame, Locator } from 'playwright-core';
import { createPetition } from '../factories/petition.factory';
import { uniqueEmail } from '../factories/signup.factory';
import {
  BROWSER_TEST_TIMEOUT_MS,
  direction,
  MAIL_WAIT_MS,
  fillForm,
  launchBrowser,
  poll,
  RecordedContext,
  startHostSite,
  startWebPlatform,
  WebPlatform,
} from '../support/browser';

// Runs in the framed page.
declare const document: { documentElement: { scrollHeight: number; lang: string } };

/**
 * The embed on somebody else's website: a page served from another origin (another host
 * name and port) loads PUBLIC_URL/embed.js, which frames the platform's form.
 */
// A browser, the API and the workers share two cores with the rest of the suite: room to be slow.
jest.setTimeout(BROWSER_TEST_TIMEOUT_MS);

describe('the embed on a page of another origin', () => {
  let web: WebPlatform;
  let browser: Browser;
  let recorded: RecordedContext;
  let host: Awaited<ReturnType<typeof startHostSite>>;
  let petitionSlug: string;

  beforeAll(async () => {
    // An Arabic site: the petition embed follows its language and direction, the join
    // embed is told French by data-lang.
    host = await startHostSite(
      () => `<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><title>موقع صديق</title></head>
<body>
<h1>موقع صديق</h1>
<p>وقّعوا العريضة أدناه.</p>
<script src="${web.baseUrl}/embed.js" data-petition="${petitionSlug}"></script>
<p>انضموا إلى الحركة:</p>
<script src="${web.baseUrl}/embed.js" data-join data-lang="fr"></script>
<p>نهاية الصفحة</p>
</body>
</html>`,
    );
    // Framing allowed to that site alone, and the proof of work on: the browser solves it.
    web = await startWebPlatform({ EMBED_ALLOWED_ORIGINS: host.origin, PROOF_OF_WORK: 'on', PROOF_OF_WORK_MAX_NUMBER: '5000' });
    browser = await launchBrowser();
    petitionSlug = (
      await createPetition(web.platform.api, {
        language: 'en',
        translations: { ar: { title: 'أطلقوا سراح الصحفيين', summary: 'أفرجوا عن كل صحفي سُجن بسبب عمله.', body: 'الصحافة ليست جريمة.' } },
      })
    ).slug;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    await web?.close();
  });
  beforeEach(async () => {
    recorded = await RecordedContext.create(browser, { viewport: { width: 1024, height: 900 } });
  });
  afterEach(async () => {
    // The host page's origin and the platform's: nobody else hears of the visit.
    recorded.expectOnlyOrigins([web.origin, host.origin]);
    await recorded.close();
  });

  async function frameOf(iframe: Locator): Promise<Frame> {
    const frame = await (await iframe.elementHandle())?.contentFrame();
    if (!frame) throw new Error('the embed iframe has no frame');
    await frame.waitForLoadState('load');
    return frame;
  }

  /** The iframe grows to its content (told by postMessage) instead of a fixed box with a scrollbar. */
  async function expectResized(iframe: Locator, frame: Frame): Promise<void> {
    const contentHeight = await frame.evaluate(() => document.documentElement.scrollHeight);
    expect(contentHeight).toBeGreaterThan(200);
    const fits = async (): Promise<boolean> => {
      const box = await iframe.boundingBox();
      return box !== null && Math.abs(box.height - contentHeight) <= 24;
    };
    expect(await poll(fits, true, 10_000, 100)).toBe(true);
  }

  it('frames the petition and join forms after their scripts, sized to fit, in the right language; a signature sent inside is mailed', async () => {
    const page = await recorded.newPage();
    await page.goto(host.url);

    const petitionFrame = page.locator(`script[data-petition="${petitionSlug}"] + iframe[data-campaign-embed]`);
    const joinFrame = page.locator('script[data-join] + iframe[data-campaign-embed]');
    await petitionFrame.waitFor({ state: 'visible' });
    await joinFrame.waitFor({ state: 'visible' });
    expect(await page.locator('iframe[data-campaign-embed]').count()).toBe(2);

    const petition = await frameOf(petitionFrame);
    const join = await frameOf(joinFrame);
    expect(new URL(petition.url()).origin).toBe(web.origin);
    expect(await petition.evaluate(() => document.documentElement.lang)).toBe('ar');
    expect(await direction(petition, 'body')).toBe('rtl');
    expect(await join.evaluate(() => document.documentElement.lang)).toBe('fr');
    expect(await direction(join, 'body')).toBe('ltr');
    await expectResized(petitionFrame, petition);
    await expectResized(joinFrame, join);

    const email = uniqueEmail('embed-signer');
    const form = petition.locator('[data-form="sign"]');
    await fillForm(form, { email, givenName: 'ليلى', familyName: 'حداد', country: 'LB' });
    expect(await petition.locator('[data-thanks]').isVisible()).toBe(false);
    await form.locator('button[type="submit"]').click();
    await petition.locator('[data-thanks]').waitFor({ state: 'visible' });
    // Still the host page: the form was sent from inside the frame, with a solved challenge.
    expect(page.url()).toBe(host.url);
    expect(recorded.calls.filter((call) => call.startsWith(`GET ${web.baseUrl}/api/v1/challenge`))).toHaveLength(1);
    expect(recorded.calls).toContain(`POST ${web.baseUrl}/api/v1/petitions/${petitionSlug}/signatures`);

    const [mail] = await web.sink.waitFor(email, 1, MAIL_WAIT_MS);
    expect(mail.parsed.text).toContain('أطلقوا سراح الصحفيين');
    expect(mail.parsed.text).toContain(`${web.baseUrl}/petitions/confirm/`);
  });
});
