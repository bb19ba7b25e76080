import Mustache from 'mustache';
import { resolveLanguage, SupportedLanguage, textDirection } from '../common/languages';
import { FieldError } from '../common/error-response';

/**
 * The only names a newsletter template may use. Everything else is refused when the mailing
 * is created, and rendering looks names up in a null-prototype object holding these strings
 * only: no functions, no prototype chain (`{{constructor}}`), no environment, no other
 * person's data (listmonk's CVE-2025-49136 reached the environment through template functions).
 */
export const TEMPLATE_VARIABLES = ['givenName', 'unsubscribeUrl', 'preferencesUrl', 'listName', 'mailingName'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];
export type TemplateView = Record<TemplateVariable, string>;

const ALLOWED = new Set<string>(TEMPLATE_VARIABLES);
/** Mustache token types: text, {{name}}, sections and comments; no partials, no {{{raw}}}, no delimiter changes. */
const ALLOWED_TOKENS = new Set(['text', 'name', '#', '^', '!']);

type Token = [string, string, number, number, Token[]?, number?];

function check(tokens: Token[], problems: string[]): void {
  for (const token of tokens) {
    const [type, value] = token;
    if (!ALLOWED_TOKENS.has(type)) {
      problems.push(
        type === '>' ? 'partials are not allowed' : type === '&' ? 'unescaped variables are not allowed' : `{{${type}...}} is not allowed`,
      );
      continue;
    }
    if (type !== 'text' && type !== '!' && !ALLOWED.has(value)) {
      problems.push(`unknown variable {{${value}}} (allowed: ${TEMPLATE_VARIABLES.join(', ')})`);
    }
    if (token[4]) check(token[4], problems);
  }
}

/** Problems of one template (empty when it is fine): syntax, unknown names, forbidden tags. */
export function templateProblems(template: string): string[] {
  let tokens: Token[];
  try {
    tokens = Mustache.parse(template, ['{{', '}}']) as unknown as Token[];
  } catch (err) {
    return [`template syntax: ${(err as Error).message.split('\n')[0]}`];
  }
  const problems: string[] = [];
  check(tokens, problems);
  return [...new Set(problems)];
}

export function validateContent(content: Record<string, { subject: string; html: string; text?: string }>): FieldError[] {
  const errors: FieldError[] = [];
  for (const [lang, variant] of Object.entries(content)) {
    for (const part of ['subject', 'html', 'text'] as const) {
      const template = variant[part];
      if (template === undefined) continue;
      for (const message of templateProblems(template)) errors.push({ field: `content.${lang}.${part}`, message });
    }
  }
  return errors;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for HTML element content and quoted attributes (links stay readable: `/` and `=` are left alone). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => HTML_ESCAPES[c]);
}

/**
 * Templates already found safe in this process: a batch renders the same three templates
 * for every recipient, and parsing them again per message is wasted work on the send path.
 * Bounded, since each mailing brings new ones.
 */
const checkedTemplates = new Set<string>();
const CHECKED_TEMPLATES_MAX = 256;

function assertSafe(template: string): void {
  if (checkedTemplates.has(template)) return;
  const problems = templateProblems(template);
  if (problems.length > 0) throw new Error(`refusing to render a template: ${problems[0]}`);
  if (checkedTemplates.size >= CHECKED_TEMPLATES_MAX) checkedTemplates.clear();
  checkedTemplates.add(template);
}

function render(template: string, view: TemplateView, escape: (s: string) => string): string {
  // Checked again here, in case a stored template never went through validation.
  assertSafe(template);
  const safeView = Object.create(null) as Record<string, string>;
  for (const name of TEMPLATE_VARIABLES) safeView[name] = String(view[name]);
  return Mustache.render(template, safeView, {}, { escape, tags: ['{{', '}}'] });
}

const FOOTER: Record<SupportedLanguage, { unsubscribe: string; preferences: string; why: string; friend: string }> = {
  en: {
    unsubscribe: 'Unsubscribe',
    preferences: 'Email preferences',
    why: 'You receive this because you subscribed to {{listName}}.',
    friend: 'friend',
  },
  ar: {
    unsubscribe: 'إلغاء الاشتراك',
    preferences: 'تفضيلات البريد',
    why: 'تصلك هذه الرسالة لأنك مشترك في {{listName}}.',
    friend: 'صديقنا',
  },
  fa: {
    unsubscribe: 'لغو اشتراک',
    preferences: 'تنظیمات ایمیل',
    why: 'این ایمیل را دریافت می‌کنید چون مشترک {{listName}} هستید.',
    friend: 'دوست گرامی',
  },
  fr: {
    unsubscribe: 'Se désabonner',
    preferences: 'Préférences e-mail',
    why: 'Vous recevez ce message car vous êtes abonné·e à {{listName}}.',
    friend: 'ami·e',
  },
};

/** What a name becomes when the person gave none. */
export function fallbackGivenName(language: string): string {
  return FOOTER[resolveLanguage(language)].friend;
}

const LAYOUT = `<!doctype html>
<html lang="{{language}}" dir="{{dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{subject}}</title>
</head>
<body style="margin:0;padding:0;">
<div lang="{{language}}" dir="{{dir}}" style="max-width:600px;margin:0 auto;padding:24px;text-align:{{align}};">
{{{body}}}
<hr style="border:0;border-top:1px solid #e4e4e7;margin:32px 0 16px;">
<p style="font-size:13px;color:#52525b;">{{why}}<br><a href="{{unsubscribeUrl}}">{{unsubscribeLabel}}</a> · <a href="{{preferencesUrl}}">{{preferencesLabel}}</a></p>
</div>
</body>
</html>
`;

export interface RenderedNewsletter {
  subject: string;
  html: string;
  text: string;
}

/**
 * One person's newsletter: the organizer's templates filled with their view, the HTML
 * wrapped in a layout with `lang`/`dir` and a visible unsubscribe link, and a plain-text part
 * (the organizer's, or derived from the HTML).
 */
export function renderNewsletter(
  variant: { subject: string; html: string; text?: string },
  language: string,
  view: TemplateView,
): RenderedNewsletter {
  const identity = (s: string): string => s;
  const subject = render(variant.subject, view, identity)
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .trim();
  const body = render(variant.html, view, escapeHtml);
  const dir = textDirection(language);
  const t = FOOTER[resolveLanguage(language)];
  const why = Mustache.render(t.why, { listName: view.listName }, {}, { escape: identity });
  const html = Mustache.render(
    LAYOUT,
    {
      language,
      dir,
      align: dir === 'rtl' ? 'right' : 'left',
      subject,
      body,
      why,
      unsubscribeUrl: view.unsubscribeUrl,
      preferencesUrl: view.preferencesUrl,
      unsubscribeLabel: t.unsubscribe,
      preferencesLabel: t.preferences,
    },
    {},
    { escape: escapeHtml },
  );
  const mainText = variant.text !== undefined ? render(variant.text, view, identity) : derivedText(variant.html, body, view);
  const text = `${mainText.trim()}\n\n--\n${why}\n${t.unsubscribe}: ${view.unsubscribeUrl}\n${t.preferences}: ${view.preferencesUrl}\n`;
  return { subject, html, text };
}

/** The variables whose value differs from one recipient of a mailing to the next. */
export const PERSONAL_VARIABLES = ['givenName', 'unsubscribeUrl', 'preferencesUrl'] as const;
export type PersonalVariable = (typeof PERSONAL_VARIABLES)[number];
export type PersonalView = Record<PersonalVariable, string>;

/** A rendered part as text between the places where a personal value goes. */
export type Piece = string | { slot: PersonalVariable };

/** One variant rendered once for every recipient of a mailing: only the personal values are left to fill in. */
export interface CompiledNewsletter {
  subject: Piece[];
  html: Piece[];
  text: Piece[];
}

// Private-use characters mark where each personal value goes; no escaping, folding or
// trimming step of the renderer touches them, so they come out exactly where the value would.
const SLOT_OPEN = '\uE000';
const SLOT_CLOSE = '\uE001';
const SLOT_MARK = /\uE000([a-zA-Z]+)\uE001/g;

function toPieces(rendered: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (const match of rendered.matchAll(SLOT_MARK)) {
    if (match.index > at) pieces.push(rendered.slice(at, match.index));
    pieces.push({ slot: match[1] as PersonalVariable });
    at = match.index + match[0].length;
  }
  if (at < rendered.length) pieces.push(rendered.slice(at));
  return pieces;
}

/**
 * The variant rendered once with everything that is the same for every recipient
 * (`listName`, `mailingName`, the layout, the derived text) and a marker where each personal
 * value goes. Filling the markers with `fillPieces` gives exactly what `renderNewsletter`
 * gives for a view whose personal values are `slotSafe` (newsletter-template.spec.ts checks
 * it); null when that could differ for this variant: its text is derived from each rendered
 * body (see `textTemplateOf`) or its text already holds a marker character.
 */
export function compileNewsletter(
  variant: { subject: string; html: string; text?: string },
  language: string,
  shared: Pick<TemplateView, 'listName' | 'mailingName'>,
): CompiledNewsletter | null {
  const texts = [variant.subject, variant.html, variant.text ?? '', shared.listName, shared.mailingName];
  if (texts.some((t) => t.includes(SLOT_OPEN) || t.includes(SLOT_CLOSE))) return null;
  if (variant.text === undefined && textTemplateOf(variant.html) === null) return null;
  const marked = Object.fromEntries(PERSONAL_VARIABLES.map((name) => [name, `${SLOT_OPEN}${name}${SLOT_CLOSE}`])) as PersonalView;
  const rendered = renderNewsletter(variant, language, { ...shared, ...marked });
  return { subject: toPieces(rendered.subject), html: toPieces(rendered.html), text: toPieces(rendered.text) };
}

/**
 * Whether a personal value behaves like the marker it replaces: not empty, no blanks at its
 * ends, no run of blanks and no line break inside (the renderer folds blanks around and in
 * values of the text part, and joins the subject's lines). Other values are rendered whole.
 */
export function slotSafe(value: string): boolean {
  return value !== '' && value === value.trim() && !/[\t\n\v\f\r\u2028\u2029\uE000\uE001]| {2}/.test(value);
}

/** The pieces with each marker replaced by the recipient's value, through `escape` (HTML escaping for the HTML part). */
export function fillPieces(pieces: Piece[], view: PersonalView, escape: (s: string) => string = (s) => s): string {
  let out = '';
  for (const piece of pieces) out += typeof piece === 'string' ? piece : escape(view[piece.slot]);
  return out;
}

/**
 * Text templates derived from HTML templates in this process (null: derive per message).
 * Deriving the text once per template instead of once per recipient takes a dozen regular
 * expressions over the whole body off the send path. Bounded like the checked templates.
 */
const textTemplates = new Map<string, string | null>();

/**
 * The HTML template turned to text with its tags kept, or null where that could differ from
 * turning each rendered body to text: a character reference that decodes to a brace (it
 * would become template syntax), a link whose label holds a tag (htmlToText compares the
 * label with the address, so the values decide), or a result that is no longer a safe
 * template (a tag inside a removed HTML element).
 */
function textTemplateOf(html: string): string | null {
  let derived = textTemplates.get(html);
  if (derived !== undefined) return derived;
  const unsure = /&#(x0*7[bd]|0*12[35]);/i.test(html) || /<a\b[^>]*>(?:(?!<\/a)[\s\S])*\{\{/i.test(html);
  derived = unsure ? null : htmlToText(html);
  if (derived !== null && templateProblems(derived).length > 0) derived = null;
  if (textTemplates.size >= CHECKED_TEMPLATES_MAX) textTemplates.clear();
  textTemplates.set(html, derived);
  return derived;
}

/**
 * The plain text of a rendered body, as `htmlToText(body)` gives it, rendered from the
 * derived text template where there is one. Values are escaped in the HTML and decoded
 * back by htmlToText, so they reach the text unchanged; only the blanks around them are
 * folded again, as htmlToText folds every run of blanks.
 */
function derivedText(html: string, body: string, view: TemplateView): string {
  const template = textTemplateOf(html);
  return template === null ? htmlToText(body) : foldBlanks(render(template, view, (s) => s));
}

/** Runs of blanks: spaces become one, none around a line break, at most one empty line. */
function foldBlanks(text: string): string {
  return text
    .replace(/[ \t\f\v]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1].toLowerCase() === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * A readable plain-text version of an HTML fragment: block ends become line breaks, links
 * keep their address, everything else loses its tags. Small on purpose; the text only
 * has to be readable, never to run anything.
 */
export function htmlToText(html: string): string {
  return foldBlanks(
    decodeEntities(
      html
        .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, '')
        .replace(/<!--[\s\S]*?-->/g, '')
        .replace(
          /<a\b[^>]*?href\s*=\s*("([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>/gi,
          (_m, _q, dq: string, sq: string, label: string) => {
            const href = dq ?? sq ?? '';
            const text = label.replace(/<[^>]*>/g, '').trim();
            return text && text !== href ? `${text} (${href})` : href;
          },
        )
        .replace(/<li\b[^>]*>/gi, '\n- ')
        .replace(/<br\s*\/?>/gi, '\n')
        .replace(/<\/(p|div|h[1-6]|ul|ol|table|tr|blockquote|section|article|header|footer)\s*>/gi, '\n\n')
        .replace(/<hr\b[^>]*>/gi, '\n----\n')
        .replace(/<[^>]*>/g, ''),
    ),
  );
}
