import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { ConfirmSignupService } from './confirm-signup.service';
import { ProcessSignupService } from './process-signup.service';
import { SignupConfirmationComposer } from './signup-confirmation.composer';
import { SignupService } from './signup.service';
import { SupportersRepository } from '../people/membership.repository';

/** Services shared by the API and the worker; controllers and processors are added by each entrypoint's module. */
@Module({
  imports: [OutboxModule],
  providers: [SupportersRepository, SignupService, ProcessSignupService, ConfirmSignupService, SignupConfirmationComposer],
  exports: [SupportersRepository, SignupService, ProcessSignupService, ConfirmSignupService],
})
export class SupportersModule {}
