import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Clock } from '../common/clock';
import { decodeCursor, Page, syncWindow, toPage } from '../common/pagination';
import { FieldError } from '../common/error-response';
import { RequestValidationException } from '../common/validation';
import { isUniqueViolation, TransactionRunner } from '../database/database.module';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { OutboxRepository, PendingOutboxEntry } from '../outbox/outbox.repository';
import { EVENT_REMINDERS_QUEUE, EventReminderJob, eventReminderJobId } from '../queues/event-reminders.queue';
import { CampaignEvent } from './campaign-event.entity';
import { AdminEventResponse, AdminRsvpResponse, canonicalTimeZone, CreateEventDto, RsvpPageQuery, UpdateEventDto } from './dto/event.dto';
import { adminEventView } from './event-views';
import { EventsRepository, RsvpListRow } from './events.repository';
import { Rsvp } from './rsvp.entity';
import { SeatAllocationService } from './seat-allocation.service';

/** Fields a PATCH may leave out but not null (capacity may: null is "no limit"). */
const REQUIRED = ['slug', 'title', 'description', 'startsAt', 'endsAt', 'timezone', 'location', 'waitlist', 'reminders', 'status'] as const;

/** The organizer side: events, their settings and status, and the RSVP list. */
@Injectable()
export class EventsAdminService {
  constructor(
    private readonly events: EventsRepository,
    private readonly seats: SeatAllocationService,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateEventDto): Promise<AdminEventResponse> {
    const startsAt = new Date(dto.startsAt);
    const endsAt = new Date(dto.endsAt);
    checkTimes(startsAt, endsAt);
    try {
      const event = await this.events.insertEvent({
        slug: dto.slug,
        title: dto.title,
        description: dto.description ?? '',
        startsAt,
        endsAt,
        timezone: canonicalTimeZone(dto.timezone) as string,
        locationName: dto.location?.name ?? null,
        locationAddress: dto.location?.address ?? null,
        locationOnline: dto.location?.online ?? false,
        locationUrl: dto.location?.url ?? null,
        locationPrivate: dto.location?.private ?? false,
        capacity: dto.capacity ?? null,
        waitlist: dto.waitlist ?? false,
        reminders: sortedReminders(dto.reminders ?? []),
        status: dto.status ?? 'draft',
      });
      return adminEventView(event, 0);
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictException('An event with this slug already exists');
      throw err;
    }
  }

  async list(limit: number, cursor?: string): Promise<Page<AdminEventResponse>> {
    const rows = await this.events.pageEvents(limit, decodeCursor(cursor));
    const seats = await this.events.seatsTaken(rows.map((e) => e.id));
    return toPage(rows, limit, (e) => adminEventView(e as CampaignEvent, seats.get(e.id) ?? 0));
  }

  async get(id: string): Promise<AdminEventResponse> {
    const event = await this.events.findEvent(id);
    if (!event) throw new NotFoundException('No such event');
    return adminEventView(event, (await this.events.seatsTaken([id])).get(id) ?? 0);
  }

  /**
   * Changes an event under its row lock. More seats (or none limited any more) promote the
   * waitlist; a new time or new offsets re-plan the reminders; cancelling tells everyone
   * going or waiting, once. Cancelled is final.
   */
  async update(id: string, dto: UpdateEventDto): Promise<AdminEventResponse> {
    const nulls: FieldError[] = REQUIRED.filter((f) => (dto as Record<string, unknown>)[f] === null).map((field) => ({
      field,
      message: `${field} cannot be null`,
    }));
    if (nulls.length > 0) throw new RequestValidationException(nulls);
    const entries: PendingOutboxEntry[] = [];
    try {
      await this.transactions.run(async (tx) => {
        const event = await this.events.lockEvent(tx, id);
        if (!event) throw new NotFoundException('No such event');
        if (event.status === 'cancelled') throw new ConflictException('A cancelled event cannot be changed');
        const changes: Partial<CampaignEvent> = {};
        const set = <K extends keyof CampaignEvent>(key: K, value: CampaignEvent[K] | undefined): void => {
          if (value !== undefined) changes[key] = value;
        };
        set('slug', dto.slug);
        set('title', dto.title);
        set('description', dto.description);
        if (dto.startsAt !== undefined) changes.startsAt = new Date(dto.startsAt);
        if (dto.endsAt !== undefined) changes.endsAt = new Date(dto.endsAt);
        if (dto.timezone !== undefined) changes.timezone = canonicalTimeZone(dto.timezone) as string;
        if (dto.location !== undefined) {
          set('locationName', dto.location.name);
          set('locationAddress', dto.location.address);
          set('locationOnline', dto.location.online);
          set('locationUrl', dto.location.url);
          set('locationPrivate', dto.location.private);
        }
        if (dto.capacity !== undefined) changes.capacity = dto.capacity;
        set('waitlist', dto.waitlist);
        if (dto.reminders !== undefined) changes.reminders = sortedReminders(dto.reminders);
        set('status', dto.status);
        const next = Object.assign(new CampaignEvent(), event, changes);
        checkTimes(next.startsAt, next.endsAt);

        const moved = next.startsAt.getTime() !== event.startsAt.getTime();
        const remindersChanged = next.reminders.join() !== event.reminders.join();
        const told =
          moved ||
          next.endsAt.getTime() !== event.endsAt.getTime() ||
          next.timezone !== event.timezone ||
          next.locationName !== event.locationName ||
          next.locationAddress !== event.locationAddress ||
          next.locationUrl !== event.locationUrl;
        const statusChanged = next.status !== event.status;
        if (told || remindersChanged || statusChanged) changes.revision = event.revision + 1;
        if (next.status === 'cancelled') changes.cancelledAt = this.clock.now();
        await this.events.updateEvent(tx, id, changes);
        Object.assign(next, changes);

        if (next.status === 'cancelled') {
          entries.push(...(await this.seats.tellCancelled(tx, next)));
          return;
        }
        const moreSeats = next.capacity === null ? event.capacity !== null : event.capacity !== null && next.capacity > event.capacity;
        if (moreSeats || (next.status === 'published' && event.status !== 'published')) {
          entries.push(...(await this.seats.promote(tx, next, this.clock.now())));
        }
        if (next.status === 'published' && (moved || remindersChanged || event.status !== 'published')) {
          const plan: PendingOutboxEntry = {
            id: randomUUID(),
            queue: EVENT_REMINDERS_QUEUE,
            jobName: EventReminderJob.PlanEvent,
            jobId: eventReminderJobId.planEvent(id, next.revision),
            payload: { eventId: id },
          };
          await this.outbox.add(tx, [plan]);
          entries.push(plan);
        }
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictException('An event with this slug already exists');
      throw err;
    }
    for (const entry of entries) this.relay.dispatchSoon(entry);
    return this.get(id);
  }

  async listRsvps(eventId: string, query: RsvpPageQuery): Promise<Page<AdminRsvpResponse>> {
    if (!(await this.events.findEvent(eventId))) throw new NotFoundException('No such event');
    const after = decodeCursor(query.cursor);
    const rows = await this.events.pageRsvps(eventId, query.limit, query.status, after, syncWindow(query.modifiedSince));
    return toPage(rows, query.limit, (r) => rsvpView(eventId, r));
  }

  async setAttended(eventId: string, rsvpId: string, attended: boolean | null): Promise<AdminRsvpResponse> {
    const rsvp = await this.events.setAttended(eventId, rsvpId, attended);
    if (!rsvp) throw new NotFoundException('No such RSVP for this event');
    return rsvpView(eventId, rsvp);
  }
}

function checkTimes(startsAt: Date, endsAt: Date): void {
  if (endsAt.getTime() <= startsAt.getTime()) {
    throw new RequestValidationException([{ field: 'endsAt', message: 'endsAt must be after startsAt' }]);
  }
}

function sortedReminders(reminders: number[]): number[] {
  return [...new Set(reminders)].sort((a, b) => b - a);
}

function rsvpView(eventId: string, r: Omit<RsvpListRow, 'cursorMicros'> | Rsvp): AdminRsvpResponse {
  return {
    id: r.id,
    eventId,
    personId: r.personId,
    email: r.email,
    givenName: r.givenName,
    familyName: r.familyName,
    country: r.country,
    language: r.language,
    guests: r.guests,
    status: r.status,
    attended: r.attended,
    waitlistPosition: r.waitlistPosition === null ? null : Number(r.waitlistPosition),
    createdAt: r.createdAt,
    confirmedAt: r.confirmedAt,
    cancelledAt: r.cancelledAt,
    modifiedAt: r.modifiedAt,
  };
}
