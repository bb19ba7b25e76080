import { applyDecorators, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProperty,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ErrorResponse } from '../common/error-response';
import { ProofOfWorkGuard } from '../web/proof-of-work.guard';
import { PublicRateLimitGuard } from '../web/rate-limit';

export class PendingResponse {
  @ApiProperty({ example: 'pending' })
  status!: 'pending';
}

/** The answer to every public action request, byte for byte: nobody learns from it who is a member. */
export const PENDING: PendingResponse = Object.freeze({ status: 'pending' as const });

/**
 * A public action request (`POST` answering 202 `{"status":"pending"}`): the rate limit, then
 * the proof of work, and the OpenAPI answers they share. `gone` documents a 404/410 for a
 * request about a thing that may not (or no longer) take one.
 */
export function PublicActionPost(path: string, summary: string, gone?: string): MethodDecorator {
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
