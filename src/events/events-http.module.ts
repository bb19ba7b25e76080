import { Module } from '@nestjs/common';
import { EventsAdminController } from './events-admin.controller';
import { EventsModule } from './events.module';
import { PublicEventsController } from './public-events.controller';
import { RsvpLinksController } from './rsvp-links.controller';
import { RsvpsExportController } from './rsvps-export.controller';

@Module({
  imports: [EventsModule],
  controllers: [EventsAdminController, PublicEventsController, RsvpLinksController, RsvpsExportController],
})
export class EventsHttpModule {}
