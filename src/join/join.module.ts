import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { JoinAction } from './join.definition';
import { SignupService } from './signup.service';
import { SignupsRepository } from './signups.repository';

/** "Join the movement": its definition and request service, shared by the API and the worker. */
@Module({
  imports: [ActionsModule],
  providers: [SignupsRepository, SignupService, JoinAction],
  exports: [SignupService],
})
export class JoinModule {}
