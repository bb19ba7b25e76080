import type { FastifyReply } from 'fastify';
import Mustache from 'mustache';
import { textDirection } from '../common/languages';

export interface PageContent {
  language: string;
  title: string;
  paragraphs: string[];
  /** A button whose form POSTs back to the page's own URL (no action attribute). */
  form?: { button: string };
}

/**
 * The shell of every page a link in an email opens, so they all look alike: `style` holds
 * the page's own CSS rules (its button's at least), `form` the Mustache template of its form.
 * Self-contained: no script, no font, nothing from another origin (supporters may be
 * watched; a third-party request would tell someone they came here).
 */
export function pageTemplate(parts: { style: string; form: string }): string {
  return `<!doctype html>
<html lang="{{language}}" dir="{{dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex">
<title>{{title}}</title>
<style>
body{margin:0;background:#f4f4f5;color:#18181b;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Tahoma,Arial,sans-serif}
main{max-width:36rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px}
h1{font-size:1.5rem;margin-top:0}
${parts.style}
button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
</style>
</head>
<body>
<main>
<h1>{{title}}</h1>
{{#paragraphs}}
<p>{{.}}</p>
{{/paragraphs}}
${parts.form}
</main>
</body>
</html>
`;
}

/** The button rule of a page; `more` adds declarations for one page. */
export const buttonStyle = (more = ''): string =>
  `button{font:inherit;font-weight:bold;padding:.75rem 1.5rem;border:0;border-radius:6px;background:#b91c1c;color:#fff;cursor:pointer${more}}`;

const PAGE = pageTemplate({
  style: buttonStyle(),
  form: `{{#form}}
<form method="post">
<button type="submit">{{button}}</button>
</form>
{{/form}}`,
});

export function renderPage(content: PageContent): string {
  return Mustache.render(PAGE, { ...content, dir: textDirection(content.language) });
}

/** Link pages are personal (they answer a token): never cached, by the browser or anyone between. */
export async function sendHtml(reply: FastifyReply, status: number, html: string): Promise<void> {
  await reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}
