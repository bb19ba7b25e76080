import { Body, Controller, Get, Headers, Param, Query, Req } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { PageQuery } from '../common/pagination';
import { PENDING, PendingResponse, PublicActionPost } from '../actions/public-action.decorator';
import { CreateRsvpDto } from './dto/create-rsvp.dto';
import { PublicEventPage, PublicEventResponse } from './dto/event.dto';
import { PublicEventsService } from './public-events.service';

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

  @PublicActionPost(
    ':slug/rsvps',
    'Answer an invitation (a confirmation email follows; the seat is decided when its link is used)',
    'The event is cancelled or has started',
  )
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
