import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { toErrorResponse } from '../common/http-exception.filter';
import { pageLanguage } from '../web/i18n';
import { ConsoleSignInRequired, ConsoleThrottled } from './console-errors';
import { html } from './console-html';
import { renderConsolePage, sendConsolePage } from './console-layout';
import { consoleMessages, fill } from './console-messages';
import type { ConsoleRequest } from './console-session';

/**
 * Console errors as console pages (a person reads them), with the JSON filter's status and
 * logging (toErrorResponse): a GET without a session goes to the sign-in page; 403, 404,
 * 429 (with Retry-After) and 400 (with what was wrong) say so in the organizer's language;
 * a 5xx shows only the request id.
 */
@Catch()
export class ConsoleExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ConsoleExceptionFilter');

  async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const req = host.switchToHttp().getRequest<ConsoleRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (error instanceof ConsoleSignInRequired && (req.method === 'GET' || req.method === 'HEAD')) {
      await reply.status(303).header('location', '/console/sign-in').send();
      return;
    }
    const response = toErrorResponse(error, String(req.id), this.logger);
    const status = response.statusCode === 401 ? 403 : response.statusCode;
    const session = req.consoleSession ?? null;
    const lang = session?.lang ?? pageLanguage((req.query as Record<string, unknown> | undefined)?.lang, req.headers['accept-language']);
    const t = consoleMessages(lang);
    let title = t.errorTitle;
    let body = html`<p>${fill(t.errorText, { id: String(req.id) })}</p>`;
    if (status === 403) [title, body] = [t.forbiddenTitle, html`<p>${t.forbiddenText}</p>`];
    else if (status === 404) [title, body] = [t.notFoundTitle, html`<p>${t.notFoundText}</p>`];
    else if (status === 409) [title, body] = [t.conflictTitle, html`<p>${response.message}</p>`];
    else if (status === 429) {
      const seconds = error instanceof ConsoleThrottled ? error.retryAfterSeconds : 60;
      void reply.header('retry-after', String(seconds));
      [title, body] = [t.tooManyTitle, html`<p role="alert">${fill(t.tooManyText, { seconds })}</p>`];
    } else if (status >= 400 && status < 500) {
      const details = response.details ?? [];
      title = t.badRequestTitle;
      body = html`<p role="alert">${t.badRequestText}</p>
        <ul>
          ${details.length > 0 ? details.map((d) => html`<li>${d.field}: ${d.message}</li>`) : html`<li>${response.message}</li>`}
        </ul>`;
    } else if (status === 503) void reply.header('retry-after', '5');
    body = html`${body}
      <p><a href="/console">${t.back}</a></p>`;
    await sendConsolePage(reply, renderConsolePage({ session, lang, title, body, path: req.url }), status);
  }
}
