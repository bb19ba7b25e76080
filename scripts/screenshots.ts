// Screenshots of every public page, left to right (English) and right to left (Arabic), at a
// phone's width and a desktop's, into docs/screenshots/ (the README shows them).
//
//   npm run screenshots        (builds first; needs PostgreSQL, Redis and /usr/bin/chromium)
//
// Runs the built API and a worker on a scratch database (dropped afterwards) and Redis
// database 6 under a queue prefix of its own, with demo data made through the API as a
// supporter would (a petition in four languages with signers, an event with RSVPs), the
// tests' SMTP sink in this process for the emails' links, and a host page on another origin
// for the embed. Not part of `npm test`: it rewrites tracked files.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { chromium } from 'playwright-core';
import { SmtpSink } from '../test/support/smtp-sink';
import { createOrganizer, freePort, migrate, platformEnv, startPlatform, stopAll, waitUntilUp } from './lib/measure-platform';
import { loadBuilt, ROOT } from './lib/paths';
import { withScratchDatabase } from './scratch-database';

const OUT = path.join(ROOT, 'docs', 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const LANGUAGES = ['en', 'ar'] as const;
type Language = (typeof LANGUAGES)[number];
const VIEWPORTS = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1280, height: 800 } },
};
const HOUR = 3_600_000;

/** Waits for the `n`th message to `address` and returns its link under `prefix`. */
async function linkIn(mailbox: SmtpSink, address: string, prefix: string, n = 1): Promise<string> {
  const mine = await mailbox.waitFor(address, n, 20_000);
  const found = (mine[n - 1].parsed.text ?? '').match(new RegExp(`${prefix}\\S+`));
  if (!found) throw new Error(`no ${prefix} link in message ${n} to ${address}`);
  return found[0];
}

function startHostSite(baseUrl: string, embeds: { petition: string }): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const lang = new URL(req.url ?? '/', 'http://x').searchParams.get('lang') === 'ar' ? 'ar' : 'en';
    const text =
      lang === 'ar'
        ? { title: 'مدونة الحي', heading: 'مدونة الحي', intro: 'نساند حملة الإفراج عن الصحفيين. وقّعوا العريضة هنا:' }
        : {
            title: 'Neighbourhood blog',
            heading: 'Neighbourhood blog',
            intro: 'We support the campaign to free the journalists. Sign here:',
          };
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html>
<html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${text.title}</title>
<style>body{font:17px/1.6 Georgia,serif;max-width:44rem;margin:0 auto;padding:1rem;background:#fffdf7;color:#222}h1{font-size:1.6rem}</style></head>
<body><h1>${text.heading}</h1><p>${text.intro}</p>
<script src="${baseUrl}/embed.js" data-petition="${embeds.petition}"></script>
</body></html>`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://localhost:${(server.address() as AddressInfo).port}/`,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

async function api<T = Record<string, string>>(baseUrl: string, method: string, route: string, body?: unknown, key?: string): Promise<T> {
  const res = await fetch(`${baseUrl}${route}`, {
    method,
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Presses the button of an email link's page (POST to the same URL), as the person would. */
async function pressLink(url: string): Promise<void> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: '' });
  if (!res.ok) throw new Error(`POST ${url}: ${res.status}`);
}

const SIGNERS = [
  { givenName: 'Amina', familyName: 'Diallo', country: 'SN', language: 'fr', comment: 'La presse libre nous protège tous.' },
  { givenName: 'ليلى', familyName: 'حداد', country: 'LB', language: 'ar', comment: 'الصحافة ليست جريمة.' },
  { givenName: 'Reza', familyName: 'Karimi', country: 'DE', language: 'fa', comment: 'آزادی برای همهٔ روزنامه‌نگاران.' },
  { givenName: 'Sam', familyName: 'Rivera', country: 'US', language: 'en', comment: 'Reporting is not a crime.' },
  { givenName: 'Nour', familyName: 'Haddad', country: 'JO', language: 'ar' },
  { givenName: 'Élise', familyName: 'Martin', country: 'FR', language: 'fr' },
];

type Events = Record<Language, { slug: string }>;

async function seed(
  baseUrl: string,
  env: NodeJS.ProcessEnv,
  mailbox: SmtpSink,
  db: Client,
): Promise<{ petition: { id: string; slug: string }; events: Events }> {
  const key = createOrganizer(env, 'screenshots@movement.test', 'organizer');
  const admin = (method: string, route: string, body?: unknown): Promise<Record<string, string>> => api(baseUrl, method, route, body, key);
  const petition = await admin('POST', '/api/v1/admin/petitions', {
    slug: 'free-the-journalists',
    title: 'Free the journalists',
    summary: 'Release every journalist jailed for their work.',
    body: 'Reporting is not a crime.\n\nAcross the region, reporters sit in prison for doing their job: telling the public what those in power would rather hide. We call for the release of every journalist held for their work, and for an end to the laws used to jail them.',
    target: 'The Minister of Justice',
    goal: 2500,
    language: 'en',
    status: 'open',
    translations: {
      ar: {
        title: 'أطلقوا سراح الصحفيين',
        summary: 'أفرجوا عن كل صحفي سُجن بسبب عمله.',
        body: 'الصحافة ليست جريمة.\n\nفي أنحاء المنطقة، يقبع صحفيون في السجون لأنهم أدّوا عملهم: أخبروا الناس بما يفضّل أصحاب السلطة إخفاءه. نطالب بالإفراج عن كل صحفي محتجز بسبب عمله، وبإلغاء القوانين التي تُستخدم لسجنهم.',
      },
      fa: {
        title: 'روزنامه‌نگاران را آزاد کنید',
        summary: 'هر روزنامه‌نگاری را که به خاطر کارش زندانی شده آزاد کنید.',
        body: 'روزنامه‌نگاری جرم نیست.\n\nما خواهان آزادی همهٔ روزنامه‌نگارانی هستیم که به خاطر کارشان در بازداشت‌اند.',
      },
      fr: {
        title: 'Libérez les journalistes',
        summary: 'Libérez chaque journaliste emprisonné pour son travail.',
        body: 'Informer n’est pas un crime.\n\nNous demandons la libération de chaque journaliste détenu pour son travail.',
      },
    },
  });
  // Ten days from now at 18:00 in Paris (17:00 UTC in winter, when these were taken).
  const startsAt = new Date(Date.now() + 10 * 24 * HOUR);
  startsAt.setUTCHours(17, 0, 0, 0);
  const event = (slug: string, title: string, description: string, location: Record<string, unknown>): Promise<{ slug: string }> =>
    api<{ slug: string }>(
      baseUrl,
      'POST',
      '/api/v1/admin/events',
      {
        slug,
        title,
        description,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(startsAt.getTime() + 2 * HOUR).toISOString(),
        timezone: 'Europe/Paris',
        location,
        capacity: 120,
        waitlist: true,
        reminders: [],
        status: 'published',
      },
      key,
    );
  const events: Events = {
    en: await event(
      'movement-assembly',
      'Movement assembly',
      'An evening to plan the next months of the campaign: short talks, working groups, and food.',
      { name: 'Community hall', address: '12 rue de la Paix, Paris', online: false },
    ),
    ar: await event('arabic-assembly', 'لقاء الحركة', 'أمسية لتخطيط الأشهر المقبلة من الحملة: كلمات قصيرة ومجموعات عمل وطعام.', {
      name: 'قاعة الحي',
      address: '12 شارع السلام، باريس',
      online: false,
    }),
  };

  // Signers through the real flow (their public names show on the petition page)...
  for (const [i, signer] of SIGNERS.entries()) {
    const email = `signer-${i}@demo.test`;
    await api(baseUrl, 'POST', `/api/v1/petitions/${petition.slug}/signatures`, { email, ...signer, publicName: true });
    await pressLink(await linkIn(mailbox, email, `${baseUrl}/petitions/confirm/`));
  }
  // ...and a crowd of anonymous ones behind them, counted as the aggregator would.
  const crowd = 1_337;
  await db.query(
    `INSERT INTO signatures (petition_id, status, consent_text_version, confirmed_at, created_at)
     SELECT $1, 'confirmed', 'demo', now() - i * interval '1 minute', now() - i * interval '1 minute' FROM generate_series(1, $2) AS i`,
    [petition.id, crowd],
  );
  await db.query(`INSERT INTO petition_count_deltas (petition_id, delta) VALUES ($1, $2)`, [petition.id, crowd]);

  for (const [lang, ev] of Object.entries(events)) {
    for (let i = 0; i < 3; i++) {
      const email = `guest-${lang}-${i}@demo.test`;
      await api(baseUrl, 'POST', `/api/v1/events/${ev.slug}/rsvps`, {
        email,
        givenName: 'Guest',
        country: 'FR',
        guests: 2,
        language: lang,
      });
      await pressLink(await linkIn(mailbox, email, `${baseUrl}/rsvp/confirm/`));
    }
  }
  return { petition: { id: petition.id, slug: petition.slug }, events };
}

/** The links a supporter of `lang` gets by email: join confirmation, cancel RSVP, newsletter footer. */
async function emailLinks(
  baseUrl: string,
  lang: Language,
  mailbox: SmtpSink,
  db: Client,
  events: Events,
  appSecret: string,
): Promise<Record<'confirm' | 'cancel' | 'unsubscribe' | 'preferences', string>> {
  const joiner = `joiner-${lang}@demo.test`;
  await api(baseUrl, 'POST', '/api/v1/signups', {
    email: joiner,
    givenName: lang === 'ar' ? 'سارة' : 'Sarah',
    consent: true,
    language: lang,
  });
  const confirm = await linkIn(mailbox, joiner, `${baseUrl}/confirm/`);

  const guest = `cancel-${lang}@demo.test`;
  await api(baseUrl, 'POST', `/api/v1/events/${events[lang].slug}/rsvps`, {
    email: guest,
    givenName: 'Sam',
    country: 'FR',
    language: lang,
  });
  await pressLink(await linkIn(mailbox, guest, `${baseUrl}/rsvp/confirm/`));
  const cancel = await linkIn(mailbox, guest, `${baseUrl}/rsvp/cancel/`, 2);

  // A subscriber as a confirmed join leaves them; the footer links are stateless HMAC tokens.
  const reader = `reader-${lang}@demo.test`;
  await api(baseUrl, 'POST', '/api/v1/signups', { email: reader, givenName: 'Reader', consent: true, language: lang });
  await pressLink(await linkIn(mailbox, reader, `${baseUrl}/confirm/`));
  const [{ person_id: personId, list_id: listId }] = (
    await db.query<{ person_id: string; list_id: string }>(
      `SELECT s.person_id, s.list_id FROM subscriptions s JOIN people p ON p.id = s.person_id WHERE p.email_normalized = $1 LIMIT 1`,
      [reader],
    )
  ).rows;
  type Tokens = { unsubscribeUrl(personId: string, listId: string): string; preferencesUrl(personId: string): string };
  const { ListLinkTokens } = loadBuilt<{ ListLinkTokens: new (config: { APP_SECRET: string; publicUrl: string }) => Tokens }>(
    'mailings/list-link-tokens.service',
  );
  const tokens = new ListLinkTokens({ APP_SECRET: appSecret, publicUrl: baseUrl });
  return { confirm, cancel, unsubscribe: tokens.unsubscribeUrl(personId, listId), preferences: tokens.preferencesUrl(personId) };
}

/**
 * Demo data for the console's dashboard (a second petition signed over 30 days, sign-ups,
 * a second list) and a console session of the organizer, as a sign-in would leave it: the
 * cookie for the browser. The session's language is set per screenshot language.
 */
async function seedConsole(db: Client, eventSlug: string): Promise<{ cookie: { name: string; value: string }; eventId: string }> {
  const petition = await db.query<{ id: string }>(
    `INSERT INTO petitions (slug, title, summary, body, target, goal, language, status)
     VALUES ('clean-air', 'Clean air for our schools', 'Filters in every classroom.', 'Body.', 'The city council', 5000, 'en', 'open') RETURNING id`,
  );
  // A campaign that picks up: more signatures each week, a spike on a Saturday.
  await db.query(
    `INSERT INTO signatures (petition_id, status, consent_text_version, created_at, confirmed_at)
     SELECT $1, 'confirmed', 'demo', t.at, t.at
     FROM generate_series(0, 29) AS d
     CROSS JOIN LATERAL generate_series(1, 20 + (29 - d) * 6 + CASE WHEN d = 5 THEN 240 ELSE 0 END) AS i
     CROSS JOIN LATERAL (SELECT now() - d * interval '1 day' - (i % 600) * interval '1 minute' AS at) AS t`,
    [petition.rows[0].id],
  );
  await db.query(`INSERT INTO petition_count_deltas (petition_id, delta) SELECT $1, count(*) FROM signatures WHERE petition_id = $1`, [
    petition.rows[0].id,
  ]);
  await db.query(
    `INSERT INTO signups (email, email_normalized, consent_text_version, status, created_at, confirmed_at)
     SELECT 'member-' || d || '-' || i || '@demo.test', 'member-' || d || '-' || i || '@demo.test', 'demo', 'confirmed', t.at, t.at
     FROM generate_series(0, 29) AS d CROSS JOIN LATERAL generate_series(1, 5 + (d * 7) % 13) AS i
     CROSS JOIN LATERAL (SELECT now() - d * interval '1 day' AS at) AS t`,
  );
  await db.query(`INSERT INTO lists (slug, name, is_public) VALUES ('volunteers', 'Volunteers', false) ON CONFLICT DO NOTHING`);
  const rawId = crypto.randomBytes(32).toString('base64url');
  await db.query(
    `INSERT INTO console_sessions (id_hash, organizer_id, role, language, last_seen_at, expires_at)
     SELECT $1, id, role, 'en', now(), now() + interval '2 hours' FROM organizers WHERE email = 'screenshots@movement.test'`,
    [crypto.createHash('sha256').update(rawId).digest('hex')],
  );
  const event = await db.query<{ id: string }>(`SELECT id FROM events WHERE slug = $1`, [eventSlug]);
  return { cookie: { name: 'console_session', value: rawId }, eventId: event.rows[0].id };
}

async function main(): Promise<void> {
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`screenshots: ${CHROMIUM} is missing; run scripts/ensure-chromium.sh`);
    process.exit(1);
  }
  fs.mkdirSync(OUT, { recursive: true });
  const mailbox = await new SmtpSink().start();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;

  await withScratchDatabase('campaign_screenshots', async (env) => {
    platformEnv(env, { port, smtpPort: mailbox.port, PUBLIC_URL: baseUrl, LOG_LEVEL: 'error' });
    migrate(env);
    const db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    const { api: apiProcess, workers } = startPlatform(env);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    let host: { url: string; close(): Promise<void> } | undefined;
    try {
      await waitUntilUp(`${baseUrl}/health/ready`);
      const { petition, events } = await seed(baseUrl, env, mailbox, db);
      host = await startHostSite(baseUrl, { petition: petition.slug });
      const consoleDemo = await seedConsole(db, events.en.slug);
      // Let the worker fold the counts in and the API's short cache move past them.
      await new Promise((r) => setTimeout(r, 3_000));

      const written: string[] = [];
      for (const lang of LANGUAGES) {
        const links = await emailLinks(baseUrl, lang, mailbox, db, events, env.APP_SECRET!);
        const pages = {
          join: `${baseUrl}/?lang=${lang}`,
          petition: `${baseUrl}/p/${petition.slug}?lang=${lang}`,
          event: `${baseUrl}/e/${events[lang].slug}?lang=${lang}`,
          confirm: links.confirm,
          preferences: links.preferences,
          unsubscribe: links.unsubscribe,
          'cancel-rsvp': links.cancel,
          embed: `${host.url}?lang=${lang}`,
        };
        for (const [size, options] of Object.entries(VIEWPORTS)) {
          const context = await browser.newContext({ ...options, locale: lang === 'ar' ? 'ar' : 'en-GB' });
          const page = await context.newPage();
          for (const [name, url] of Object.entries(pages)) {
            const res = await page.goto(url, { waitUntil: 'load' });
            if (!res || res.status() >= 400) console.error(`screenshots: ${name} (${lang}) answered ${res ? res.status() : 'nothing'}`);
            if (name === 'embed') await page.waitForSelector('iframe[data-campaign-embed]', { timeout: 5_000 }).catch(() => undefined);
            await page.waitForTimeout(300); // the embed's resize, the live count's first poll
            const file = path.join(OUT, `${name}-${lang}-${size}.png`);
            await page.screenshot({ path: file, animations: 'disabled' });
            written.push(file);
          }
          // The console's screens (issue 15), signed in as the organizer, in the same language.
          await db.query(`UPDATE console_sessions SET language = $1`, [lang]);
          await context.addCookies([{ ...consoleDemo.cookie, url: baseUrl, httpOnly: true, sameSite: 'Strict' }]);
          const consolePages = {
            'console-dashboard': `${baseUrl}/console/dashboard`,
            'console-lists': `${baseUrl}/console/lists`,
            'console-events': `${baseUrl}/console/events`,
            'console-check-in': `${baseUrl}/console/events/${consoleDemo.eventId}/check-in?q=guest`,
          };
          for (const [name, url] of Object.entries(consolePages)) {
            const res = await page.goto(url, { waitUntil: 'load' });
            if (!res || res.status() >= 400) console.error(`screenshots: ${name} (${lang}) answered ${res ? res.status() : 'nothing'}`);
            const file = path.join(OUT, `${name}-${lang}-${size}.png`);
            await page.screenshot({ path: file, animations: 'disabled', fullPage: name === 'console-dashboard' && size === 'desktop' });
            written.push(file);
          }
          await context.close();
        }
      }
      for (const file of written) console.log(`${path.relative(process.cwd(), file)}  ${(fs.statSync(file).size / 1024).toFixed(0)} KB`);
    } finally {
      await browser.close();
      await host?.close();
      await stopAll([apiProcess, ...workers]);
      await db.end();
    }
  });
  await mailbox.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
