import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { CanariesRepository } from './canaries.repository';
import { CanaryService } from './canary.service';

/** Canary rows of exports, their trace and their alerts (docs/safety.md). */
@Module({
  imports: [MailModule],
  providers: [CanariesRepository, CanaryService],
  exports: [CanaryService],
})
export class CanariesModule {}
