import { Body, Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorResponse } from '../common/error-response';
import { PageQuery } from '../common/pagination';
import { SlugPipe } from '../common/slug.pipe';
import { PENDING, PendingResponse, PublicActionPost, Requester } from '../actions/public-action.decorator';
import { CreateRsvpDto } from './dto/create-rsvp.dto';
import { PublicEventPage, PublicEventResponse } from './dto/event.dto';
import { PublicEventsService } from './public-events.service';
import { RSVP } from './rsvp.definition';

@ApiTags('public')
@Controller('api/v1/events')
export class PublicEventsController {
  constructor(private readonly events: PublicEventsService) {}

  @Get()
  @ApiOperation({ summary: 'Upcoming published events, soonest first' })
  @ApiOkResponse({ type: PublicEventPage })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A bad limit or cursor' })
  list(@Query() query: PageQuery): Promise<PublicEventPage> {
    return this.events.list(query.limit, query.cursor);
  }

  @Get(':slug')
  @ApiOperation({ summary: 'A published or cancelled event, with the seats left' })
  @ApiOkResponse({ type: PublicEventResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  get(@Param('slug', new SlugPipe('No such event')) slug: string): Promise<PublicEventResponse> {
    return this.events.get(slug);
  }

  @PublicActionPost(':slug/rsvps', RSVP)
  async rsvp(
    @Param('slug', new SlugPipe('No such event')) slug: string,
    @Body() dto: CreateRsvpDto,
    @Requester() from: Requester,
  ): Promise<PendingResponse> {
    await this.events.rsvp(slug, dto, from.ip, from.acceptLanguage);
    return PENDING;
  }
}
