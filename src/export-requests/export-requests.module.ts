import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { CanariesModule } from '../canaries/canaries.module';
import { ClockModule } from '../common/clock';
import { ExportsModule } from '../exports/exports.module';
import { MailModule } from '../mail/mail.module';
import { PeopleModule } from '../people/people.module';
import { ExportRequestsRepository } from './export-requests.repository';
import { ExportRequestsService } from './export-requests.service';

/** Four-eyes exports: the service and the decision email's composer (API and worker alike). */
@Module({
  imports: [ActionsModule, CanariesModule, ExportsModule, MailModule, PeopleModule, ClockModule],
  providers: [ExportRequestsRepository, ExportRequestsService],
  exports: [ExportRequestsService],
})
export class ExportRequestsModule {}
