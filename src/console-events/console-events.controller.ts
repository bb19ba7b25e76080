import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { isCursor } from '../common/pagination';
import { UuidPipe } from '../common/uuid.pipe';
import { ConsoleFormDto } from '../console/console-form.dto';
import { renderConsolePage, sendConsolePage } from '../console/console-layout';
import { fill } from '../console/console-messages';
import { registerConsoleNav } from '../console/console-nav';
import type { ConsoleRequest, ConsoleSession } from '../console/console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from '../console/console-session.guard';
import { EventsAdminService } from '../events/events-admin.service';
import { EventsRepository } from '../events/events.repository';
import { CheckInRepository } from './check-in.repository';
import { checkInBody, EVENTS_MESSAGES, eventsBody, personName, rsvpsBody } from './events-page';

registerConsoleNav({ id: 'events', path: '/console/events', label: (l) => EVENTS_MESSAGES[l].nav, minRole: 'viewer', order: 50 });

const RSVP_LIST_LIMIT = 1000;
const SEARCH_LIMIT = 30;

export class AttendedForm extends ConsoleFormDto {
  @IsIn(['true', 'false'])
  attended!: 'true' | 'false';

  /** The search to go back to. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class CheckInQuery {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @IsOptional()
  @IsIn(['in', 'out'])
  done?: 'in' | 'out';

  @IsOptional()
  @IsString()
  @MaxLength(36)
  rsvp?: string;
}

/**
 * `/console/events`: the events (every role; no person on it); the RSVP list in seat and
 * waitlist order and the check-in screen for organizers, as the organizer API allows
 * (`GET .../rsvps` and the attended mark are organizer routes). Reading RSVPs is audited as
 * `event.rsvps.read`, a check-in as `rsvp.update`, the API's own actions.
 */
@ConsoleController('console/events')
export class ConsoleEventsController {
  constructor(
    private readonly events: EventsAdminService,
    private readonly eventRows: EventsRepository,
    private readonly door: CheckInRepository,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ConsoleAuth('viewer')
  async list(
    @CurrentSession() session: ConsoleSession,
    @Query('cursor') cursor: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const page = await this.events.list(50, cursor && isCursor(cursor) ? cursor : undefined);
    const t = EVENTS_MESSAGES[session.lang];
    await sendConsolePage(
      reply,
      renderConsolePage({ session, title: t.title, body: eventsBody(session, page.items, page.nextCursor), path: '/console/events' }),
    );
  }

  @Get(':id/rsvps')
  @ConsoleAuth('organizer')
  async rsvps(
    @CurrentSession() session: ConsoleSession,
    @Param('id', UuidPipe) id: string,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.get(id);
    const rsvps = await this.door.seatOrder(id, RSVP_LIST_LIMIT);
    await this.audit.record(req, { action: 'event.rsvps.read', targetType: 'event', targetId: id, details: { via: 'console' } });
    const t = EVENTS_MESSAGES[session.lang];
    await sendConsolePage(
      reply,
      renderConsolePage({
        session,
        title: fill(t.rsvpsTitle, { event: event.title }),
        body: rsvpsBody(session.lang, event, rsvps, RSVP_LIST_LIMIT),
        path: '/console/events',
      }),
    );
  }

  @Get(':id/check-in')
  @ConsoleAuth('organizer')
  async checkIn(
    @CurrentSession() session: ConsoleSession,
    @Param('id', UuidPipe) id: string,
    @Query() query: CheckInQuery,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.get(id);
    const q = (query.q ?? '').trim();
    const t = EVENTS_MESSAGES[session.lang];
    const [counts, results] = await Promise.all([this.door.counts(id), q ? this.door.search(id, q, SEARCH_LIMIT) : Promise.resolve(null)]);
    // A search shows names and addresses: read like the API's RSVP list, and audited like it.
    if (q)
      await this.audit.record(req, { action: 'event.rsvps.read', targetType: 'event', targetId: id, details: { via: 'console-check-in' } });
    let notice: string | null = null;
    if (query.done && query.rsvp && /^[0-9a-f-]{36}$/.test(query.rsvp)) {
      const rsvp = await this.eventRows.findRsvp(query.rsvp);
      if (rsvp && rsvp.eventId === id)
        notice = fill(query.done === 'in' ? t.markedAttended : t.markedNotAttended, { name: personName(t, rsvp) });
    }
    await sendConsolePage(
      reply,
      renderConsolePage({
        session,
        title: fill(t.checkInTitle, { event: event.title }),
        body: checkInBody(session, { event, counts, query: q, results, notice }),
        path: '/console/events',
      }),
    );
  }

  @Post(':id/rsvps/:rsvpId/attended')
  @ConsoleAuth('organizer')
  async attended(
    @Param('id', UuidPipe) id: string,
    @Param('rsvpId', UuidPipe) rsvpId: string,
    @Body() form: AttendedForm,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const attended = form.attended === 'true';
    await this.events.setAttended(id, rsvpId, attended);
    await this.audit.record(req, {
      action: 'rsvp.update',
      targetType: 'event',
      targetId: id,
      details: { params: { rsvpId }, attended, via: 'console' },
    });
    const back = new URLSearchParams({ q: form.q ?? '', done: attended ? 'in' : 'out', rsvp: rsvpId });
    await reply.status(303).header('location', `/console/events/${id}/check-in?${back.toString()}#rsvp-${rsvpId}`).send();
  }
}
