import { Module } from '@nestjs/common';
import { CoreModule } from './core.module';
import { EventRemindersProcessor } from './events/event-reminders.processor';
import { EventRemindersSweeper } from './events/event-reminders.sweeper';
import { EventsModule } from './events/events.module';
import { RsvpsReconciler } from './events/rsvps-reconciler.service';
import { OutboxModule } from './outbox/outbox.module';
import { OutboxSweeper } from './outbox/outbox-sweeper.service';
import { ConfirmationsProcessor } from './queues/confirmations.processor';
import { MailReconciler } from './mail/mail-reconciler.service';
import { SignupsReconciler } from './supporters/signups-reconciler.service';
import { SupportersModule } from './supporters/supporters.module';

/** The workers (dist/worker.js): every queue consumer and the outbox relay's sweeper. */
@Module({
  imports: [CoreModule, OutboxModule, SupportersModule, EventsModule],
  providers: [
    ConfirmationsProcessor,
    OutboxSweeper,
    SignupsReconciler,
    MailReconciler,
    EventRemindersProcessor,
    EventRemindersSweeper,
    RsvpsReconciler,
  ],
})
export class WorkerModule {}
