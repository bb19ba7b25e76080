import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { OutboxRepository } from '../outbox/outbox.repository';
import { CanariesRepository } from './canaries.repository';
import { CanaryService } from './canary.service';
import { OrganizerMailService } from './organizer-mail.service';

/**
 * Canary rows of exports, their trace and their alerts; organizers' emails (docs/safety.md).
 * No OutboxModule: the command line (an import) has no queues; see `OrganizerMailService`.
 */
@Module({
  imports: [MailModule],
  providers: [CanariesRepository, CanaryService, OrganizerMailService, OutboxRepository],
  exports: [CanaryService, OrganizerMailService],
})
export class CanariesModule {}
