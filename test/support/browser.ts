import { existsSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, BrowserContext, BrowserContextOptions, chromium, ConsoleMessage, Frame, Locator, Page } from 'playwright-core';
import { Platform, startPlatform } from './platform';
import { freePort } from './processes';
import { SmtpSink } from './smtp-sink';

/** Debian's Chromium, installed by scripts/ensure-chromium.sh (playwright-core downloads none). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * One headless Chromium per test file. No sandbox (tests run as root in CI), and nothing
 * the browser would fetch on its own (updates, sync, safe-browsing lists): the only
 * requests are the pages' own, which the tests record.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh (npm test runs it first)`);
  }
  return chromium.launch({
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
}

/** The platform (API and workers in this process) listening on a real port, its emails going to an SMTP sink. */
export interface WebPlatform {
  platform: Platform;
  sink: SmtpSink;
  /** `http://127.0.0.1:PORT`, also the PUBLIC_URL of every link in an email. */
  baseUrl: string;
  origin: string;
  close(): Promise<void>;
}

/** `hostname: 'localhost'` serves PUBLIC_URL http://localhost:PORT, where browsers allow passkeys (never on a bare IP). */
export async function startWebPlatform(
  env: Record<string, string | undefined> = {},
  options: { hostname?: string } = {},
): Promise<WebPlatform> {
  const sink = await new SmtpSink().start();
  const port = await freePort();
  const hostname = options.hostname ?? '127.0.0.1';
  const baseUrl = `http://${hostname}:${port}`;
  const platform = await startPlatform({ SMTP_URL: sink.url, PUBLIC_URL: baseUrl, PORT: String(port), ...env });
  await platform.api.listen(port, hostname === 'localhost' ? '127.0.0.1' : hostname);
  return {
    platform,
    sink,
    baseUrl,
    origin: new URL(baseUrl).origin,
    async close() {
      await platform.close();
      await sink.stop();
    },
  };
}

/** A page of a site on another origin (another host name and port), for the embed. */
export async function startHostSite(
  html: (hostOrigin: string) => string,
): Promise<{ url: string; origin: string; close(): Promise<void> }> {
  let origin = '';
  const server: Server = createServer((req, res) => {
    if (req.url === '/' || req.url?.startsWith('/?')) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      res.end(html(origin));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // "localhost" resolves to the same loopback address, yet is another origin than 127.0.0.1.
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/`,
    origin,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A fresh browser context that records every request its pages (and their frames) make,
 * and every console message that reports a Content-Security-Policy violation.
 */
export class RecordedContext {
  readonly requests: string[] = [];
  /** `METHOD URL` of every request, to tell a fetch from a form's navigation. */
  readonly calls: string[] = [];
  readonly cspViolations: string[] = [];
  readonly pageErrors: string[] = [];

  private constructor(readonly context: BrowserContext) {
    context.on('request', (request) => {
      this.requests.push(request.url());
      this.calls.push(`${request.method()} ${request.url()}`);
    });
    context.on('weberror', (error) => this.pageErrors.push(String(error.error())));
    context.on('console', (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      if (/Content[- ]Security[- ]Policy/i.test(text)) this.cspViolations.push(text);
    });
  }

  static async create(browser: Browser, options: BrowserContextOptions = {}): Promise<RecordedContext> {
    return new RecordedContext(await browser.newContext({ viewport: { width: 390, height: 844 }, ...options }));
  }

  newPage(): Promise<Page> {
    return this.context.newPage();
  }

  /** Requests to any origin but these (data: and blob: URLs never leave the browser). */
  foreignRequests(allowedOrigins: string[]): string[] {
    return this.requests.filter((url) => {
      if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return false;
      return !allowedOrigins.includes(new URL(url).origin);
    });
  }

  /** Asserts what every browser test must hold: nothing left for another origin, no CSP violation. */
  expectOnlyOrigins(allowedOrigins: string[]): void {
    expect(this.requests.length).toBeGreaterThan(0);
    expect(this.foreignRequests(allowedOrigins)).toEqual([]);
    expect(this.cspViolations).toEqual([]);
    expect(this.pageErrors).toEqual([]);
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

/**
 * Fills a form by input name, as a person would: selects pick an option by value,
 * checkboxes are ticked, anything else is typed. A missing field fails the test.
 */
export async function fillForm(form: Locator, values: Record<string, string | boolean>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    const field = form.locator(`[name="${name}"]`);
    if ((await field.count()) === 0) throw new Error(`the form has no field named ${name}`);
    if ((await form.locator(`select[name="${name}"]`).count()) > 0) await field.first().selectOption(String(value));
    else if ((await form.locator(`input[type="checkbox"][name="${name}"]`).count()) > 0) await field.first().setChecked(value === true);
    else await field.first().fill(String(value));
  }
}

// Runs in the page, where the DOM is (this project's TypeScript has no DOM library).
declare const getComputedStyle: (element: unknown) => { direction: string };

/** The computed CSS `direction` of the first element matching `selector`. */
export function direction(page: Page | Frame, selector: string): Promise<string> {
  return page
    .locator(selector)
    .first()
    .evaluate((el) => getComputedStyle(el).direction);
}

interface FieldNode {
  id: string;
  name: string;
  ownerDocument: { querySelector(selector: string): unknown };
}

/** Names of the form's fields (hidden inputs aside) that no `<label for>` names. */
export function unlabelledFields(form: Locator): Promise<string[]> {
  return form
    .locator('input:not([type="hidden"]), select, textarea')
    .evaluateAll((nodes) =>
      (nodes as unknown as FieldNode[])
        .filter((n) => n.id === '' || n.ownerDocument.querySelector(`label[for="${n.id}"]`) === null)
        .map((n) => n.name),
    );
}

/** The number a locale wrote (Arabic-Indic and Persian digits too, any grouping). */
export function localeNumber(text: string | null): number {
  const ascii = (text ?? '')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[^0-9]/g, '');
  if (ascii === '') throw new Error(`no number in ${JSON.stringify(text)}`);
  return Number(ascii);
}

/** Every action link in a message's plain-text part (links under the platform's own URL). */
export function linksIn(text: string | undefined, baseUrl: string): string[] {
  const escaped = baseUrl.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [...(text ?? '').matchAll(new RegExp(`${escaped}/\\S+`, 'g'))].map((m) => m[0]);
}

/**
 * Reads `read()` until it gives `expected` or `timeoutMs` passes, and returns the last value
 * read, for the test to assert on (what lags by design, such as the aggregated count).
 */
export async function poll<T>(read: () => Promise<T>, expected: T, timeoutMs = 20_000, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, intervalMs));
    value = await read();
  }
  return value;
}

/** Per browser test: a real browser plus the platform's own lag (count aggregation, caches). */
export const BROWSER_TEST_TIMEOUT_MS = 90_000;
/** For an email the worker sends, generous on a loaded machine. */
export const MAIL_WAIT_MS = 20_000;
