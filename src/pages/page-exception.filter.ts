import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from '../common/http-exception.filter';
import { AppConfig } from '../config/app-config';
import { MESSAGES, pageLanguage } from '../web/i18n';
import { renderLayout } from '../web/layout';
import { sendPage } from './page-response';
import { renderMessage } from './page-templates';

/**
 * Errors of the public pages as pages (a person, not a program, reads them): 404 for an
 * unknown slug, 429 for the rate limit, 5xx with the request id only, in the page's language
 * and layout. Logging and status are those of the JSON filter (toErrorResponse).
 */
@Catch()
export class PageExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PageExceptionFilter');

  constructor(private readonly config: AppConfig) {}

  async catch(error: unknown, host: ArgumentsHost): Promise<void> {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { statusCode } = toErrorResponse(error, String(request.id), this.logger);
    const query = request.query as Record<string, unknown> | undefined;
    const language = pageLanguage(query?.lang, request.headers['accept-language']);
    const t = MESSAGES[language];
    const [title, text] =
      statusCode === 404
        ? [t.notFoundTitle, t.notFoundText]
        : statusCode === 429
          ? [t.tooManyTitle, t.tooManyText]
          : statusCode === 410
            ? [t.eventClosedTitle, t.petitionClosedText]
            : [t.errorTitle, t.errorText];
    const embed = request.url.startsWith('/embed/');
    const shown = statusCode >= 500 ? `${text} (${String(request.id)})` : text;
    const html = renderLayout({ language, title, content: renderMessage(title, shown), embed, noindex: true });
    if (statusCode === 503) void reply.header('retry-after', '5');
    await sendPage(reply, this.config, { status: statusCode, html }, { embed, get: false });
  }
}
