import { applyDecorators, createParamDecorator, ExecutionContext, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProperty,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { ProofOfWorkGuard } from '../web/proof-of-work.guard';
import { PublicRateLimitGuard } from '../web/rate-limit';
import type { ActionSpec } from './action-definition';

export class PendingResponse {
  @ApiProperty({ example: 'pending' })
  status!: 'pending';
}

/** The answer to every public action request, byte for byte: nobody learns from it who is a member. */
export const PENDING: PendingResponse = Object.freeze({ status: 'pending' as const });

/** Who sends a public request, as its stamp needs it: the client address and the browser's languages. */
export interface Requester {
  ip: string;
  acceptLanguage: string | undefined;
}

export const Requester = createParamDecorator((_data: unknown, context: ExecutionContext): Requester => {
  const req = context.switchToHttp().getRequest<FastifyRequest>();
  return { ip: req.ip, acceptLanguage: req.headers['accept-language'] };
});

/**
 * A kind's public request (`POST` answering 202 `{"status":"pending"}`): the rate limit, then
 * the proof of work, and the OpenAPI answers they share, in the words of `spec.request`
 * (`gone` documents a 404/410 for a request about a thing that may not, or no longer, take one).
 */
export function PublicActionPost(path: string, spec: Pick<ActionSpec, 'request'>): MethodDecorator {
  const { summary, gone } = spec.request;
  return applyDecorators(
    Post(path),
    HttpCode(202),
    UseGuards(PublicRateLimitGuard, ProofOfWorkGuard),
    ApiOperation({ summary }),
    ApiAcceptedResponse({ type: PendingResponse, description: 'The same bytes for every address, whatever its history' }),
    ApiBadRequestResponse({ type: ErrorResponse }),
    ...(gone ? [ApiNotFoundResponse({ type: ErrorResponse }), ApiGoneResponse({ type: ErrorResponse, description: gone })] : []),
    ApiTooManyRequestsResponse({ type: ErrorResponse }),
  );
}
