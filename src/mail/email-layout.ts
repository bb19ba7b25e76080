import Mustache from 'mustache';
import { textDirection } from '../common/languages';

/** What one action email says: all text already in the reader's language. */
export interface ActionEmailContent {
  language: string;
  subject: string;
  greeting: string;
  paragraphs: string[];
  actionLabel: string;
  /** Empty for an email with nothing to do (the button and its fallback are left out). */
  actionUrl: string;
  fallbackLabel: string;
  footer: string;
}

const HTML = `<!doctype html>
<html lang="{{language}}" dir="{{dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{subject}}</title>
</head>
<body style="margin:0;padding:0;background:#f4f4f5;">
<div lang="{{language}}" dir="{{dir}}" style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;font-family:system-ui,-apple-system,'Segoe UI',Tahoma,Arial,sans-serif;font-size:16px;line-height:1.6;color:#18181b;text-align:{{align}};">
<p>{{greeting}}</p>
{{#paragraphs}}
<p>{{.}}</p>
{{/paragraphs}}
{{#actionUrl}}
<p style="margin:32px 0;"><a href="{{actionUrl}}" style="display:inline-block;padding:12px 24px;background:#b91c1c;color:#ffffff;text-decoration:none;border-radius:6px;font-weight:bold;">{{actionLabel}}</a></p>
<p style="font-size:13px;color:#52525b;">{{fallbackLabel}}<br><a href="{{actionUrl}}" dir="ltr" style="color:#52525b;word-break:break-all;">{{actionUrl}}</a></p>
{{/actionUrl}}
<p style="font-size:13px;color:#52525b;">{{footer}}</p>
</div>
</body>
</html>
`;

const TEXT = `{{greeting}}

{{#paragraphs}}
{{.}}

{{/paragraphs}}
{{#actionUrl}}
{{actionLabel}}:
{{actionUrl}}

{{/actionUrl}}
{{footer}}
`;

/**
 * Renders an action email (one link, one button). Mustache escapes every value in the HTML
 * part, so a name holding markup arrives as text.
 */
export function renderActionEmail(content: ActionEmailContent): { subject: string; html: string; text: string } {
  const dir = textDirection(content.language);
  const view = { ...content, dir, align: dir === 'rtl' ? 'right' : 'left' };
  return {
    subject: content.subject,
    html: Mustache.render(HTML, view),
    text: Mustache.render(TEXT, view, {}, { escape: (s: string) => s }),
  };
}

/** Fills a catalog sentence: `{{name}}` placeholders, no escaping (the layout escapes). */
export function fill(template: string, vars: Record<string, string>): string {
  return Mustache.render(template, vars, {}, { escape: (s: string) => s });
}

/**
 * Who an email greets. `addressProven`: the link of the request whose name this is was used,
 * so the name was typed by whoever holds the address. Anything else (a confirmation email,
 * to a new address or to a member alike: the request is not proven yet) is not.
 */
export type Greeted = { addressProven: false } | { addressProven: true; givenName: string | null };

/**
 * The greeting of an email, the one place it is written. An address that has not proven
 * itself is greeted neutrally ("Hello,"): a requester may type anything as a name ("your
 * account is locked. Reset it at http://evil.example/reset") for someone else's address,
 * and it must not reach that inbox inside the movement's own, DKIM-signed email. A proven
 * one is greeted by the name typed with that proof ("Hello Amal,"), else neutrally.
 */
export function greetingFor(texts: { greeting: string }, to: { addressProven: false }): string;
export function greetingFor(texts: { greeting: string; greetingNamed: string }, to: Greeted): string;
export function greetingFor(texts: { greeting: string; greetingNamed?: string }, to: Greeted): string {
  if (!to.addressProven || !to.givenName || texts.greetingNamed === undefined) return texts.greeting;
  return fill(texts.greetingNamed, { givenName: to.givenName });
}
