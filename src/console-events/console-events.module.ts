import { Module } from '@nestjs/common';
import { ConsoleModule } from '../console/console.module';
import { EventsModule } from '../events/events.module';
import { CheckInRepository } from './check-in.repository';
import { ConsoleEventsController } from './console-events.controller';

/** The console's events screens (API process): events, RSVPs in seat order, check-in at the door. */
@Module({ imports: [ConsoleModule, EventsModule], controllers: [ConsoleEventsController], providers: [CheckInRepository] })
export class ConsoleEventsModule {}
