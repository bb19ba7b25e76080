import { GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { ActionRequests } from '../actions/action-requests.service';
import { CampaignEvent } from './campaign-event.entity';
import { CreateRsvpDto } from './dto/create-rsvp.dto';
import { PublicEventResponse } from './dto/event.dto';
import { publicEventView } from './event-views';
import { EventsRepository } from './events.repository';
import { RSVP } from './rsvp.definition';

/**
 * The public side of events: reading them, and the API half of an RSVP (store the request
 * and the intent to process it in one statement, answer). Whether the address is known,
 * confirmed or suppressed is decided by the worker, so every address gets the same answer
 * after the same work.
 */
@Injectable()
export class PublicEventsService {
  constructor(
    private readonly events: EventsRepository,
    private readonly requests: ActionRequests,
    private readonly clock: Clock,
  ) {}

  async list(limit: number, cursor?: string): Promise<Page<PublicEventResponse>> {
    const rows = await this.events.pageUpcoming(this.clock.now(), limit, decodeCursor(cursor));
    const seats = await this.events.seatsTaken(rows.map((e) => e.id));
    return toPage(rows, limit, (e) => publicEventView(e as CampaignEvent, seats.get(e.id) ?? 0));
  }

  async get(slug: string): Promise<PublicEventResponse> {
    const event = await this.visible(slug);
    const seats = await this.events.seatsTaken([event.id]);
    return publicEventView(event, seats.get(event.id) ?? 0);
  }

  async rsvp(slug: string, dto: CreateRsvpDto, clientIp: string, acceptLanguage?: string): Promise<void> {
    const event = await this.visible(slug);
    if (event.status === 'cancelled') throw new GoneException('This event is cancelled');
    if (event.startsAt.getTime() <= this.clock.now().getTime()) throw new GoneException('This event has already started');
    if (this.requests.isBot(dto)) return;
    const entry = await this.events.request(
      {
        ...this.requests.stamp(dto, clientIp, acceptLanguage),
        rsvpId: randomUUID(),
        eventId: event.id,
        givenName: dto.givenName,
        familyName: dto.familyName ?? null,
        country: dto.country ?? null,
        subscribe: dto.subscribe ?? false,
        guests: dto.guests ?? 0,
        outboxId: randomUUID(),
      },
      RSVP.job,
    );
    this.requests.dispatch([entry]);
  }

  /** Published and cancelled events are public; drafts do not exist for the public. */
  private async visible(slug: string): Promise<CampaignEvent> {
    const event = await this.events.findEventBySlug(slug);
    if (!event || event.status === 'draft') throw new NotFoundException('No such event');
    return event;
  }
}
