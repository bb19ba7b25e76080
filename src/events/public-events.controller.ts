import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { PageQuery } from '../common/pagination';
import { PublicRateLimitGuard } from '../web/rate-limit';
import { ProofOfWorkGuard } from '../web/proof-of-work.guard';
import { PendingResponse } from '../join/dto/create-signup.dto';
import { CreateRsvpDto } from './dto/create-rsvp.dto';
import { PublicEventPage, PublicEventResponse } from './dto/event.dto';
import { PublicEventsService } from './public-events.service';

const PENDING: PendingResponse = Object.freeze({ status: 'pending' as const });

@ApiTags('public')
@Controller('api/v1/events')
export class PublicEventsController {
  constructor(private readonly events: PublicEventsService) {}

  @Get()
  @ApiOperation({ summary: 'Upcoming published events, soonest first' })
  @ApiOkResponse({ type: PublicEventPage })
  list(@Query() query: PageQuery): Promise<PublicEventPage> {
    return this.events.list(query.limit, query.cursor);
  }

  @Get(':slug')
  @ApiOkResponse({ type: PublicEventResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  get(@Param('slug') slug: string): Promise<PublicEventResponse> {
    return this.events.get(slug);
  }

  @Post(':slug/rsvps')
  @HttpCode(202)
  @UseGuards(ProofOfWorkGuard)
  @UseGuards(PublicRateLimitGuard)
  @ApiOperation({ summary: 'Answer an invitation (a confirmation email follows; the seat is decided when its link is used)' })
  @ApiAcceptedResponse({ type: PendingResponse, description: 'The same bytes for every address, known or not' })
  @ApiBadRequestResponse({ type: ErrorResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  @ApiGoneResponse({ type: ErrorResponse, description: 'The event is cancelled or has started' })
  @ApiTooManyRequestsResponse({ type: ErrorResponse })
  async rsvp(
    @Param('slug') slug: string,
    @Body() dto: CreateRsvpDto,
    @Req() req: FastifyRequest,
    @Headers('accept-language') acceptLanguage: string | undefined,
  ): Promise<PendingResponse> {
    await this.events.rsvp(slug, dto, req.ip, acceptLanguage);
    return PENDING;
  }
}
