import { UuidPipe } from '../common/uuid.pipe';
import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.interceptor';
import { PageQuery } from '../common/pagination';
import { Auth } from '../organizers/auth.guard';
import {
  AdminEventPage,
  AdminEventResponse,
  AdminRsvpPage,
  AdminRsvpResponse,
  CreateEventDto,
  RsvpPageQuery,
  UpdateEventDto,
  UpdateRsvpDto,
} from './dto/event.dto';
import { EventsAdminService } from './events-admin.service';

@ApiTags('admin: events')
@Controller('api/v1/admin/events')
export class EventsAdminController {
  constructor(private readonly events: EventsAdminService) {}

  @Post()
  @Auth('organizer')
  @Audited('event.create', 'event')
  @ApiCreatedResponse({ type: AdminEventResponse })
  create(@Body() dto: CreateEventDto): Promise<AdminEventResponse> {
    return this.events.create(dto);
  }

  @Get()
  @Auth('viewer')
  @ApiOkResponse({ type: AdminEventPage })
  list(@Query() query: PageQuery): Promise<AdminEventPage> {
    return this.events.list(query.limit, query.cursor);
  }

  @Get(':id')
  @Auth('viewer')
  @ApiOkResponse({ type: AdminEventResponse })
  get(@Param('id', UuidPipe) id: string): Promise<AdminEventResponse> {
    return this.events.get(id);
  }

  @Patch(':id')
  @Auth('organizer')
  @Audited('event.update', 'event')
  @ApiOkResponse({ type: AdminEventResponse })
  update(@Param('id', UuidPipe) id: string, @Body() dto: UpdateEventDto): Promise<AdminEventResponse> {
    return this.events.update(id, dto);
  }

  /** Names and addresses in bulk: organizers only, never viewers. */
  @Get(':id/rsvps')
  @ApiOperation({
    summary: "List an event's RSVPs (or sync what changed)",
    description: 'Oldest first; with `modifiedSince`, the RSVPs changed at or after that time, oldest change first',
  })
  @Auth('organizer')
  @Audited('event.rsvps.read', 'event')
  @ApiOkResponse({ type: AdminRsvpPage })
  rsvps(@Param('id', UuidPipe) id: string, @Query() query: RsvpPageQuery): Promise<AdminRsvpPage> {
    return this.events.listRsvps(id, query);
  }

  @Patch(':id/rsvps/:rsvpId')
  @Auth('organizer')
  @Audited('rsvp.update', 'event')
  @ApiOkResponse({ type: AdminRsvpResponse })
  updateRsvp(
    @Param('id', UuidPipe) id: string,
    @Param('rsvpId', UuidPipe) rsvpId: string,
    @Body() dto: UpdateRsvpDto,
  ): Promise<AdminRsvpResponse> {
    return this.events.setAttended(id, rsvpId, dto.attended);
  }
}
