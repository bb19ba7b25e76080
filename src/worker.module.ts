import { Module } from '@nestjs/common';
import { CoreModule } from './core.module';
import { EventRemindersProcessor } from './events/event-reminders.processor';
import { EventRemindersSweeper } from './events/event-reminders.sweeper';
import { EventsModule } from './events/events.module';
import { RsvpsReconciler } from './events/rsvps-reconciler.service';
import { RsvpsRetentionService } from './events/rsvps-retention.service';
import { OutboxModule } from './outbox/outbox.module';
import { OutboxSweeper } from './outbox/outbox-sweeper.service';
import { ConfirmationsProcessor } from './queues/confirmations.processor';
import { MailReconciler } from './mail/mail-reconciler.service';
import { RetentionModule } from './retention/retention.module';
import { RetentionTask } from './retention/retention.task';
import { DeliveriesRetentionService } from './mailings/deliveries-retention.service';
import { MailingsModule } from './mailings/mailings.module';
import { MailingsScheduler } from './mailings/mailings-scheduler.service';
import { MailingsProcessor } from './queues/mailings.processor';
import { SignupsReconciler } from './join/signups-reconciler.service';
import { SupportersModule } from './join/join.module';
import { PetitionCountsAggregator, PetitionRecountTask } from './petitions/petition-counts.task';
import { PetitionsModule } from './petitions/petitions.module';
import { SignatureRemindersTask, SignaturesReconciler } from './petitions/signature-reminders.task';
import { SignaturesRetentionService } from './petitions/signatures-retention.service';

/** The workers (dist/worker.js): every queue consumer and the outbox relay's sweeper. */
@Module({
  imports: [CoreModule, OutboxModule, SupportersModule, RetentionModule, PetitionsModule, EventsModule, MailingsModule],
  providers: [
    ConfirmationsProcessor,
    MailingsProcessor,
    OutboxSweeper,
    SignupsReconciler,
    MailReconciler,
    MailingsScheduler,
    RetentionTask,
    PetitionCountsAggregator,
    PetitionRecountTask,
    SignatureRemindersTask,
    SignaturesReconciler,
    EventRemindersProcessor,
    EventRemindersSweeper,
    RsvpsReconciler,
    SignaturesRetentionService,
    RsvpsRetentionService,
    DeliveriesRetentionService,
  ],
})
export class WorkerModule {}
