import type { FastifyReply } from 'fastify';
import { SUPPORTED_LANGUAGES, SupportedLanguage, textDirection } from '../common/languages';
import { LANGUAGE_NAMES } from '../web/i18n';
import { html, raw, SafeHtml } from './console-html';
import { CONSOLE_MESSAGES, fill, roleName } from './console-messages';
import { consoleNavFor } from './console-nav';
import type { ConsoleSession } from './console-session';

export interface ConsolePageOptions {
  /** The signed-in session; none for the sign-in and invitation pages (no navigation then). */
  session?: ConsoleSession | null;
  /** Plain text: escaped. */
  title: string;
  /** The page's content, made with `html```. */
  body: SafeHtml;
  /** The language when there is no session (sign-in pages); a session's own otherwise. */
  lang?: SupportedLanguage;
  /** Extra scripts of our own origin, e.g. `['/console/assets/webauthn.js', '/console/assets/console.js']`. */
  scripts?: string[];
  /** The page's path (`req.url` will do): the nav link whose path is its longest prefix is marked current. */
  path?: string;
}

/** The hidden CSRF field every console form that changes something must hold. */
export function csrfField(session: ConsoleSession): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${session.csrfToken}" />`;
}

/**
 * The one shell of every console page: `lang` and `dir` from the organizer's language, a
 * skip link, the navigation the role may use, sign-out (a POST), the language switch.
 * Everything is served from our own origin and nothing is inline (the CSP allows neither).
 */
export function renderConsolePage(options: ConsolePageOptions): string {
  const session = options.session ?? null;
  const lang = session?.lang ?? options.lang ?? 'en';
  const t = CONSOLE_MESSAGES[lang];
  const header = session
    ? renderHeader(session, options.path)
    : html`<header class="console-header"><p class="console-name">${t.siteName}</p></header>`;
  const scripts = (options.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`);
  return html`<!doctype html>
    <html lang="${lang}" dir="${textDirection(lang)}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex, nofollow" />
        <title>${options.title} · ${t.siteName}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/console/assets/console.css" />
        ${scripts}
      </head>
      <body>
        <a class="skip-link" href="#main">${t.skipLink}</a>
        ${header}
        <main id="main" tabindex="-1">
          <h1>${options.title}</h1>
          ${options.body}
        </main>
      </body>
    </html> `.value;
}

function renderHeader(session: ConsoleSession, currentPath: string | undefined): SafeHtml {
  const t = CONSOLE_MESSAGES[session.lang];
  const entries = consoleNavFor(session.role);
  const path = (currentPath ?? '').split('?')[0];
  const current = entries
    .filter((e) => path === e.path || (e.path !== '/console' && path.startsWith(`${e.path}/`)))
    .reduce((best, e) => (e.path.length > best.length ? e.path : best), '');
  const links = entries.map(
    (e) => html`<li><a href="${e.path}" ${current === e.path ? raw(' aria-current="page"') : ''}>${e.label(session.lang)}</a></li>`,
  );
  const languages = SUPPORTED_LANGUAGES.map(
    (code) =>
      html`<option value="${code}" lang="${code}" ${code === session.lang ? raw(' selected') : ''}>${LANGUAGE_NAMES[code]}</option>`,
  );
  return html`<header class="console-header">
      <p class="console-name"><a href="/console">${t.siteName}</a></p>
      <p class="console-who">${fill(t.signedInAs, { email: session.email, role: roleName(t, session.role) })}</p>
      <form class="console-language" method="post" action="/console/language">
        <input type="hidden" name="_csrf" value="${session.csrfToken}" />
        <input type="hidden" name="next" value="${path || '/console'}" />
        <label for="console-language">${t.languageLabel}</label>
        <select id="console-language" name="lang">
          ${languages}
        </select>
        <button type="submit">${t.languageSubmit}</button>
      </form>
      <form class="console-sign-out" method="post" action="/console/sign-out">
        <input type="hidden" name="_csrf" value="${session.csrfToken}" />
        <button type="submit">${t.signOut}</button>
      </form>
    </header>
    <nav class="console-nav" aria-label="${t.navLabel}">
      <ul>
        ${links}
      </ul>
    </nav>`;
}

/**
 * Sends a console page. The console's own onSend hook adds `Cache-Control: no-store` and the
 * strict CSP to every response under /console, this one included.
 */
export async function sendConsolePage(reply: FastifyReply, page: string, status = 200): Promise<void> {
  await reply.status(status).header('content-type', 'text/html; charset=utf-8').send(page);
}
