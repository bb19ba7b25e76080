import { applyDecorators } from '@nestjs/common';
import { ApiGoneResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { resolveLanguage } from '../common/languages';
import { applyPagePolicy, renderLayout, renderTemplate } from './layout';

export interface PageContent {
  language: string;
  title: string;
  paragraphs: string[];
  /** A button whose form POSTs back to the page's own URL (no action attribute). */
  form?: { button: string };
}

/** A title, its paragraphs and at most one button: the pages behind email links and the error pages. */
export const MESSAGE_CONTENT = `<div class="card">
<h1>{{title}}</h1>
{{#paragraphs}}
<p>{{.}}</p>
{{/paragraphs}}
{{#form}}
<form method="post">
<button type="submit">{{button}}</button>
</form>
{{/form}}
</div>`;

/** A page behind an email link, in the shared layout (personal: noindex, no script, no switcher). */
export function renderPage(content: PageContent): string {
  return renderLayout({
    language: resolveLanguage(content.language),
    title: content.title,
    content: renderTemplate(MESSAGE_CONTENT, content),
    noindex: true,
  });
}

/** Link pages are personal (they answer a token): never cached, by the browser or anyone between. */
export async function sendHtml(reply: FastifyReply, status: number, html: string): Promise<void> {
  applyPagePolicy(reply);
  await reply.status(status).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
}

/** OpenAPI answers of a page behind an email link: HTML, 404 for an unknown link, 410 for an expired one. */
export function LinkPageResponses(): MethodDecorator {
  return applyDecorators(
    ApiProduces('text/html'),
    ApiOkResponse({ description: 'The page (HTML)' }),
    ApiNotFoundResponse({ description: 'Unknown link (HTML page)' }),
    ApiGoneResponse({ description: 'Expired link, or a closed event (HTML page)' }),
  );
}
