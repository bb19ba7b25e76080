import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { InvitationsService } from '../../src/console-auth/invitations.service';
import { totpCode } from '../../src/console-auth/second-factor';
import { AppConfig } from '../../src/config/app-config';
import type { Role } from '../../src/organizers/organizer.entity';

/**
 * Console test support: an organizer of a role, enrolled and signed in through the real
 * endpoints (invitation → password + TOTP enrollment → POST /console/sign-in), as a cookie
 * and CSRF token for supertest, or in a Playwright page.
 */
export interface ConsoleLogin {
  /** `console_session=...` for a `cookie` header. */
  cookie: string;
  csrfToken: string;
  organizerId: string;
  email: string;
  password: string;
  totpSecret: string;
  /** The ten codes shown at enrollment (none used). */
  recoveryCodes: string[];
  /** The next TOTP code this organizer may use (each 30-second step is accepted once). */
  nextTotp(): Promise<string>;
}

let counter = 0;
export const uniqueOrganizerEmail = (tag = 'console'): string => `${tag}-${Date.now()}-${++counter}@organizers.test`;

/** The cookie pair a response set (`name=value`), or null. */
export function sessionCookieOf(res: { headers: Record<string, unknown> }): string | null {
  const setCookie = res.headers['set-cookie'];
  const list = Array.isArray(setCookie) ? (setCookie as string[]) : typeof setCookie === 'string' ? [setCookie] : [];
  const found = list.find((c) => /^(__Host-)?console_session=[^;]+/.test(c));
  return found ? found.split(';')[0] : null;
}

/** The hidden `_csrf` value of a console page. */
export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([0-9a-f]{64})"/.exec(html);
  if (!match) throw new Error('no CSRF token in the page');
  return match[1];
}

function hidden(html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(html);
  if (!match) throw new Error(`no ${name} in the invitation page`);
  return match[1];
}

/** Each TOTP step once, as the server wants: the current step, else the next (the server allows one either side). */
function totpSequence(secret: string, firstStep: number): () => Promise<string> {
  let last = firstStep;
  return async () => {
    for (;;) {
      const now = Math.floor(Date.now() / 30_000);
      const step = Math.max(last + 1, now - 1);
      if (step <= now + 1) {
        last = step;
        return totpCode(secret, step * 30_000 + 1_000);
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
  };
}

/** An invitation for a new organizer of `role` (as the CLI makes one): its URL. */
export async function inviteOrganizer(
  api: NestFastifyApplication,
  role: Role,
  email = uniqueOrganizerEmail(role),
): Promise<{ email: string; url: string; organizerId: string }> {
  const { url, organizerId } = await api.get(InvitationsService).invite(email, role, { createdBy: null });
  return { email, url, organizerId };
}

/**
 * Creates an organizer of `role`, enrolls a password and a TOTP app through its invitation
 * page, and signs in with them at POST /console/sign-in. Requests carry our own Origin, as
 * a browser's would.
 */
export async function signInAs(
  api: NestFastifyApplication,
  role: Role,
  options: { email?: string; password?: string } = {},
): Promise<ConsoleLogin> {
  const http = () => request(api.getHttpServer());
  const origin = api.get(AppConfig).publicOrigin;
  const invited = await inviteOrganizer(api, role, options.email);
  const path = new URL(invited.url).pathname;
  const page = await http().get(path);
  if (page.status !== 200) throw new Error(`invitation page: ${page.status}`);
  const totpSecret = hidden(page.text, 'totpSecret');
  const password = options.password ?? `pw-${Math.random().toString(36).slice(2)}-long-enough`;
  const enrollStep = Math.floor(Date.now() / 30_000) - 1;
  const enrolled = await http()
    .post(`${path}/password`)
    .set('origin', origin)
    .type('form')
    .send({ password, totpSecret, totpMac: hidden(page.text, 'totpMac'), code: totpCode(totpSecret, enrollStep * 30_000 + 1_000) });
  if (enrolled.status !== 200) throw new Error(`enrollment: ${enrolled.status} ${enrolled.text.slice(0, 300)}`);
  const recoveryCodes = [...enrolled.text.matchAll(/<li>([A-Z0-9]{5}-[A-Z0-9]{5})<\/li>/g)].map((m) => m[1]);
  const nextTotp = totpSequence(totpSecret, enrollStep);
  const signedIn = await http()
    .post('/console/sign-in')
    .set('origin', origin)
    .type('form')
    .send({ email: invited.email, password, code: await nextTotp() });
  const cookie = sessionCookieOf(signedIn);
  if (signedIn.status !== 303 || !cookie) throw new Error(`sign-in: ${signedIn.status}`);
  const home = await http().get('/console').set('cookie', cookie);
  return {
    cookie,
    csrfToken: csrfTokenIn(home.text),
    organizerId: invited.organizerId,
    email: invited.email,
    password,
    totpSecret,
    recoveryCodes,
    nextTotp,
  };
}

/** A state-changing console request as a same-origin form of this session: cookie, Origin and `_csrf`. */
export function consolePost(
  api: NestFastifyApplication,
  path: string,
  login: Pick<ConsoleLogin, 'cookie' | 'csrfToken'>,
  fields: Record<string, string> = {},
) {
  return request(api.getHttpServer())
    .post(path)
    .set('cookie', login.cookie)
    .set('origin', api.get(AppConfig).publicOrigin)
    .type('form')
    .send({ _csrf: login.csrfToken, ...fields });
}

/** Signs `login`'s organizer in, in a browser page, through the sign-in form (password + the next TOTP code). */
export async function signInInBrowser(page: Page, baseUrl: string, login: ConsoleLogin): Promise<void> {
  await page.goto(`${baseUrl}/console/sign-in`);
  await page.locator('#email').fill(login.email);
  await page.locator('#password').fill(login.password);
  await page.locator('#code').fill(await login.nextTotp());
  await Promise.all([page.waitForURL(`${baseUrl}/console`), page.locator('form[action="/console/sign-in"] button[type="submit"]').click()]);
}

/** An organizer of `role`, enrolled over HTTP, then signed in in `page` (its own session there). */
export async function browserSignInAs(page: Page, api: NestFastifyApplication, baseUrl: string, role: Role): Promise<ConsoleLogin> {
  const login = await signInAs(api, role);
  await signInInBrowser(page, baseUrl, login);
  return login;
}
