import { Module } from '@nestjs/common';
import { ConfirmSignupController } from './confirm-signup.controller';
import { SignupsController } from './signups.controller';
import { SupportersModule } from './join.module';

@Module({ imports: [SupportersModule], controllers: [SignupsController, ConfirmSignupController] })
export class SupportersHttpModule {}
