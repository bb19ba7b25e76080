import { Module } from '@nestjs/common';
import { CanariesModule } from '../canaries/canaries.module';
import { MailModule } from '../mail/mail.module';
import { ImportPeopleService } from './import-people.service';
import { ImportsRepository } from './imports.repository';

/** The people import, shared by the HTTP route, the CLI and the background imports (`ImportJobsModule`). */
@Module({
  imports: [MailModule, CanariesModule],
  providers: [ImportsRepository, ImportPeopleService],
  exports: [ImportsRepository, ImportPeopleService],
})
export class ImportsModule {}
