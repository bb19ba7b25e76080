import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { confirmLinksController } from '../actions/confirm-links.controller';
import { recordsExportController } from '../actions/records-export';
import { ProofOfWorkModule } from '../web/proof-of-work.module';
import { RsvpsExportQuery } from './dto/rsvps-export.query';
import { EventsAdminController } from './events-admin.controller';
import { EventsModule } from './events.module';
import { PublicEventsController } from './public-events.controller';
import { RsvpLinksController } from './rsvp-links.controller';
import { RSVP } from './rsvp.definition';

@Module({
  imports: [EventsModule, ActionsModule, ProofOfWorkModule],
  controllers: [
    EventsAdminController,
    PublicEventsController,
    confirmLinksController(RSVP),
    RsvpLinksController,
    recordsExportController(RSVP, RsvpsExportQuery),
  ],
})
export class EventsHttpModule {}
