import { Module } from '@nestjs/common';
import { DevOutboxController } from './dev-outbox.controller';
import { MailModule } from './mail.module';

@Module({ imports: [MailModule], controllers: [DevOutboxController] })
export class MailHttpModule {}
