import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { SupportersModule } from '../supporters/supporters.module';
import { EventMailComposer } from './event-mail.composer';
import { EventRemindersService } from './event-reminders.service';
import { EventsAdminService } from './events-admin.service';
import { EventsRepository } from './events.repository';
import { ProcessRsvpService } from './process-rsvp.service';
import { PublicEventsService } from './public-events.service';
import { RsvpLinksService } from './rsvp-links.service';
import { SeatAllocationService } from './seat-allocation.service';

/** Services shared by the API and the worker; controllers and processors are added by each entrypoint's module. */
@Module({
  imports: [OutboxModule, SupportersModule],
  providers: [
    EventsRepository,
    SeatAllocationService,
    EventsAdminService,
    PublicEventsService,
    RsvpLinksService,
    ProcessRsvpService,
    EventMailComposer,
    EventRemindersService,
  ],
  exports: [EventsRepository, EventsAdminService, PublicEventsService, RsvpLinksService, ProcessRsvpService, EventRemindersService],
})
export class EventsModule {}
