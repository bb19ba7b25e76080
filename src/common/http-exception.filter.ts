import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { pgErrorCode } from '../database/database.module';
import { ErrorResponse } from './error-response';
import { RequestValidationException } from './validation';

/** Errors thrown by Fastify itself (body too large, bad JSON...) carry a statusCode. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** Client-facing messages for Fastify's own errors: never its internals. */
const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'Request body is too large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Unsupported content type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'Request body must not be empty',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'Invalid Content-Length',
};

/** PostgreSQL (or the network to it) is away: the request can be retried as it is. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08006',
]);

export function isDependencyUnavailable(error: unknown): boolean {
  const e = error as { message?: string; driverError?: { message?: string } };
  const code = pgErrorCode(error);
  const message = e?.driverError?.message ?? e?.message ?? '';
  return (
    (code !== undefined && UNAVAILABLE_CODES.has(code)) ||
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
      message,
    )
  );
}

/**
 * Turns every error into the contract's JSON shape. 4xx messages are ours and safe to show;
 * anything else is logged with the request id and answered with a generic 500.
 */
export function toErrorResponse(error: unknown, requestId: string, logger: Logger): ErrorResponse {
  if (error instanceof RequestValidationException) {
    return { statusCode: 400, error: 'Bad Request', message: 'Validation failed', details: error.details };
  }
  if (error instanceof ThrottlerException) {
    return { statusCode: 429, error: reasonPhrase(429), message: 'Too many requests; try again later' };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 503) {
      // Readiness probes answer 503 on purpose while a store is away: not an error to page on.
      logger.warn({ requestId }, 'service unavailable');
      return { statusCode: 503, error: reasonPhrase(503), message: `Temporarily unavailable (request id ${requestId})` };
    }
    if (status >= 500) {
      logger.error({ err: error, requestId }, 'request failed');
      return { statusCode: status, error: reasonPhrase(status), message: `Internal error (request id ${requestId})` };
    }
    const body = error.getResponse();
    let message = error.message;
    if (typeof body === 'object' && body !== null && 'message' in body) {
      const m = body.message;
      message = Array.isArray(m) ? m.join('; ') : String(m);
    }
    return { statusCode: status, error: reasonPhrase(status), message };
  }
  const fe = error as FastifyLikeError;
  if (typeof fe?.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    const message =
      (fe.code && FASTIFY_MESSAGES[fe.code]) ??
      (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(fe.message ?? '') ? 'Malformed JSON body' : reasonPhrase(fe.statusCode));
    return { statusCode: fe.statusCode, error: reasonPhrase(fe.statusCode), message };
  }
  // The last line behind the validation at the edge: a value PostgreSQL cannot take (SQLSTATE
  // class 22, data exception: a number out of range, text that is no UUID, a NUL byte) is
  // the request's fault, not ours. Logged, since it names a check the edge is missing.
  if (/^22[0-9A-Z]{3}$/.test(pgErrorCode(error) ?? '')) {
    logger.warn({ err: error, requestId }, 'request refused by the database: data exception');
    return { statusCode: 400, error: reasonPhrase(400), message: 'A value in the request is malformed or out of range' };
  }
  if (isDependencyUnavailable(error)) {
    logger.warn({ err: error, requestId }, 'request failed: database unavailable');
    return { statusCode: 503, error: reasonPhrase(503), message: `Temporarily unavailable, please retry (request id ${requestId})` };
  }
  logger.error({ err: error, requestId }, 'request failed');
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    error: reasonPhrase(500),
    message: `Internal error (request id ${requestId})`,
  };
}

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const request = ctx.getRequest<FastifyRequest>();
    const reply = ctx.getResponse<FastifyReply>();
    const body = toErrorResponse(exception, String(request.id), this.logger);
    if (body.statusCode === 503 && !reply.hasHeader('retry-after')) void reply.header('retry-after', '5');
    void reply.status(body.statusCode).header('content-type', 'application/json; charset=utf-8').send(body);
  }
}
