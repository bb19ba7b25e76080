import { Module } from '@nestjs/common';
import { ExportsModule } from '../exports/exports.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PeopleModule } from '../people/people.module';
import { SupportersModule } from '../join/join.module';
import { EventMailComposer } from './event-mail.composer';
import { EventRemindersService } from './event-reminders.service';
import { EventsAdminService } from './events-admin.service';
import { EventsRepository } from './events.repository';
import { ProcessRsvpService } from './process-rsvp.service';
import { PublicEventsService } from './public-events.service';
import { RsvpLinksService } from './rsvp-links.service';
import { RsvpsPeopleService } from './rsvps-people.service';
import { SeatAllocationService } from './seat-allocation.service';

/**
 * Services shared by the API and the worker; controllers and processors are added by each
 * entrypoint's module. Events plug into the people feature (sections, erasure) and exports,
 * never the other way round; the retention step is the worker's (RsvpsRetentionService in
 * WorkerModule).
 */
@Module({
  imports: [OutboxModule, SupportersModule, PeopleModule, ExportsModule],
  providers: [
    EventsRepository,
    SeatAllocationService,
    EventsAdminService,
    PublicEventsService,
    RsvpLinksService,
    ProcessRsvpService,
    EventMailComposer,
    EventRemindersService,
    RsvpsPeopleService,
  ],
  exports: [
    EventsRepository,
    EventsAdminService,
    PublicEventsService,
    RsvpLinksService,
    ProcessRsvpService,
    EventRemindersService,
    RsvpsPeopleService,
  ],
})
export class EventsModule {}
