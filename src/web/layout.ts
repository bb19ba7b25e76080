import type { FastifyReply } from 'fastify';
import Mustache from 'mustache';
import { SUPPORTED_LANGUAGES, SupportedLanguage, textDirection } from '../common/languages';
import { LANGUAGE_NAMES, MESSAGES } from './i18n';

const LAYOUT = `<!doctype html>
<html lang="{{language}}" dir="{{dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
{{#noindex}}
<meta name="robots" content="noindex">
{{/noindex}}
<title>{{title}}</title>
{{#share}}
<meta name="description" content="{{description}}">
<link rel="canonical" href="{{url}}">
<meta property="og:type" content="website">
<meta property="og:site_name" content="{{siteName}}">
<meta property="og:title" content="{{title}}">
<meta property="og:description" content="{{description}}">
<meta property="og:url" content="{{url}}">
<meta property="og:locale" content="{{ogLocale}}">
<meta name="twitter:card" content="summary">
<meta name="twitter:title" content="{{title}}">
<meta name="twitter:description" content="{{description}}">
{{/share}}
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/site.css">
{{#script}}
<script src="/assets/site.js" defer></script>
{{/script}}
</head>
<body class="{{bodyClass}}">
{{^embed}}
<a class="skip-link" href="#main">{{t.skipLink}}</a>
<header class="site-header">
<p class="site-name">{{t.siteName}}</p>
{{#hasSwitcher}}
<nav aria-label="{{t.languageNav}}">
<ul class="languages">
{{#switcher}}
<li><a href="{{href}}" lang="{{code}}" hreflang="{{code}}"{{#current}} aria-current="page"{{/current}}>{{name}}</a></li>
{{/switcher}}
</ul>
</nav>
{{/hasSwitcher}}
</header>
{{/embed}}
<main id="main" tabindex="-1">
{{{content}}}
</main>
{{^embed}}
<footer class="site-footer"><p>{{t.footer}}</p></footer>
{{/embed}}
</body>
</html>
`;

/** Open Graph / Twitter card data of a shareable page (absolute URL from PUBLIC_URL). */
export interface ShareMeta {
  url: string;
  description: string;
}

export interface LayoutOptions {
  language: SupportedLanguage;
  title: string;
  /** Already rendered HTML of the page's main content (escaped by its own template). */
  content: string;
  /** Chromeless variant for an iframe: no header, footer or skip link. */
  embed?: boolean;
  /** Loads /assets/site.js (progressive enhancement); the pages work without it. */
  script?: boolean;
  /** Pages behind personal links are not for search engines. */
  noindex?: boolean;
  /** Path the language switcher's links point to (`?lang=` appended); none: no switcher. */
  switcherPath?: string;
  share?: ShareMeta;
}

const OG_LOCALE: Record<SupportedLanguage, string> = { en: 'en_GB', ar: 'ar_AR', fa: 'fa_IR', fr: 'fr_FR' };

/**
 * The one shell of every HTML page (public pages, embeds, pages behind email links): same
 * stylesheet, same header, `lang` and `dir` from the page's language. Nothing is loaded from
 * another origin and nothing is inline (the CSP allows neither): supporters may be watched,
 * and a third-party request would tell someone they came here.
 */
export function renderLayout(options: LayoutOptions): string {
  const t = MESSAGES[options.language];
  const switcher = options.switcherPath
    ? SUPPORTED_LANGUAGES.map((code) => ({
        code,
        name: LANGUAGE_NAMES[code],
        href: `${options.switcherPath}?lang=${code}`,
        current: code === options.language,
      }))
    : [];
  return renderTemplate(LAYOUT, {
    ...options,
    t,
    dir: textDirection(options.language),
    bodyClass: options.embed ? 'embed' : 'page',
    hasSwitcher: switcher.length > 0,
    switcher,
    share: options.share && { ...options.share, title: options.title, siteName: t.siteName, ogLocale: OG_LOCALE[options.language] },
  });
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * HTML escaping for text and double-quoted attribute values. Mustache's default also escapes
 * `/`, `=` and backticks, which makes every path and URL unreadable in the source for no gain.
 */
const escapeHtml = (value: unknown): string => String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/** A page's content through a Mustache template (HTML-escaped unless the template says {{{ }}}). */
export function renderTemplate(template: string, view: object): string {
  return Mustache.render(template, view, {}, { escape: escapeHtml });
}

/**
 * Helmet's policy for this reply, made strict for a page: no inline style either (the pages
 * have none; everything is in /assets/site.css). An embed may be framed by the allowed
 * origins (and has no X-Frame-Options, which cannot express them); every other page by no one.
 */
/**
 * applyPagePolicy's result over a set of headers (the lean page reads start from helmet's):
 * an undefined value is a header removed.
 */
export function pagePolicyHeaders(security: Readonly<Record<string, string>>, frameAncestors?: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  const current = security['content-security-policy'];
  if (typeof current === 'string') {
    let policy = current.replace(/style-src [^;]*/, "style-src 'self'");
    if (frameAncestors) policy = policy.replace(/frame-ancestors [^;]*/, `frame-ancestors ${frameAncestors}`);
    out['content-security-policy'] = policy;
  }
  if (frameAncestors) {
    out['x-frame-options'] = undefined;
    out['cross-origin-resource-policy'] = 'cross-origin';
  }
  return out;
}

export function applyPagePolicy(reply: FastifyReply, frameAncestors?: string): void {
  const current = reply.getHeader('content-security-policy');
  if (typeof current === 'string') {
    let policy = current.replace(/style-src [^;]*/, "style-src 'self'");
    if (frameAncestors) policy = policy.replace(/frame-ancestors [^;]*/, `frame-ancestors ${frameAncestors}`);
    void reply.header('content-security-policy', policy);
  }
  if (frameAncestors) {
    reply.removeHeader('x-frame-options');
    void reply.header('cross-origin-resource-policy', 'cross-origin');
  }
}
