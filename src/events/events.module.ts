import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { MailModule } from '../mail/mail.module';
import { EventMailComposer } from './event-mail.composer';
import { EventRemindersService } from './event-reminders.service';
import { EventsAdminService } from './events-admin.service';
import { EventsRepository } from './events.repository';
import { PublicEventsService } from './public-events.service';
import { RsvpLinksService } from './rsvp-links.service';
import { RsvpAction } from './rsvp.definition';
import { SeatAllocationService } from './seat-allocation.service';

/**
 * Services shared by the API and the worker; controllers and processors are added by each
 * entrypoint's module. The RSVP is an action kind (`RsvpAction`): its job, confirmation link,
 * confirmation email, reconciler, person record and retention come from src/actions; seats,
 * the waitlist, cancelling and reminders are this folder's.
 */
@Module({
  imports: [ActionsModule, MailModule],
  providers: [
    EventsRepository,
    SeatAllocationService,
    EventsAdminService,
    PublicEventsService,
    RsvpLinksService,
    RsvpAction,
    EventMailComposer,
    EventRemindersService,
  ],
  exports: [EventsRepository, SeatAllocationService, EventsAdminService, PublicEventsService, RsvpLinksService, EventRemindersService],
})
export class EventsModule {}
