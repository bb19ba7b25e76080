import { Body, Controller, Headers, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { PublicRateLimitGuard } from '../web/rate-limit';
import { ProofOfWorkGuard } from '../web/proof-of-work.guard';
import { CreateSignupDto, PendingResponse } from './dto/create-signup.dto';
import { SignupService } from './signup.service';

const PENDING: PendingResponse = Object.freeze({ status: 'pending' as const });

@ApiTags('public')
@Controller('api/v1/signups')
export class SignupsController {
  constructor(private readonly signups: SignupService) {}

  @Post()
  @HttpCode(202)
  @UseGuards(ProofOfWorkGuard)
  @UseGuards(PublicRateLimitGuard)
  @ApiOperation({ summary: 'Join the movement (double opt-in: a confirmation email follows)' })
  @ApiAcceptedResponse({ type: PendingResponse, description: 'The same bytes for every address, known or not' })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiTooManyRequestsResponse({ type: ErrorResponse })
  async create(
    @Body() dto: CreateSignupDto,
    @Req() req: FastifyRequest,
    @Headers('accept-language') acceptLanguage: string | undefined,
  ): Promise<PendingResponse> {
    await this.signups.accept(dto, req.ip, acceptLanguage);
    return PENDING;
  }
}
