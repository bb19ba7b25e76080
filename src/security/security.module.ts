import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { LockdownService } from './lockdown.service';
import { SecretRotationService } from './secret-rotation.service';
import { SecurityRepository } from './security.repository';

/** Panic and hygiene: the lockdown and the APP_SECRET rotation (command line; docs/safety.md). */
@Module({
  imports: [MailModule],
  providers: [SecurityRepository, LockdownService, SecretRotationService],
  exports: [LockdownService, SecretRotationService],
})
export class SecurityModule {}
