import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { AuditModule } from '../audit/audit.module';
import { EventsModule } from '../events/events.module';
import { JoinModule } from '../join/join.module';
import { MailModule } from '../mail/mail.module';
import { PetitionsModule } from '../petitions/petitions.module';
import { OsdiTokenGuard } from './osdi-auth.guard';
import { OsdiHelpersService } from './osdi-helpers.service';
import { OsdiController } from './osdi.controller';
import { OsdiRepository } from './osdi.repository';
import { OsdiService } from './osdi.service';

/** The OSDI API (`/api/osdi/v1/`), HTTP only: its helpers hand requests to the join, petition and event services. */
@Module({
  imports: [ActionsModule, JoinModule, PetitionsModule, EventsModule, MailModule, AuditModule],
  controllers: [OsdiController],
  providers: [OsdiRepository, OsdiService, OsdiHelpersService, OsdiTokenGuard],
})
export class OsdiModule {}
