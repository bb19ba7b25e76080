import { Module } from '@nestjs/common';
import { ActionsModule } from './actions/actions.module';
import { ActionsReconciler } from './actions/actions-reconciler.task';
import { ConsoleAuthMailModule } from './console-auth/console-auth.module';
import { CoreModule } from './core.module';
import { EventRemindersProcessor } from './events/event-reminders.processor';
import { EventRemindersSweeper } from './events/event-reminders.sweeper';
import { EventsModule } from './events/events.module';
import { JoinModule } from './join/join.module';
import { MailModule } from './mail/mail.module';
import { MailReconciler } from './mail/mail-reconciler.service';
import { DeliveriesRetentionService } from './mailings/deliveries-retention.service';
import { MailingsModule } from './mailings/mailings.module';
import { MailingsScheduler } from './mailings/mailings-scheduler.service';
import { OutboxModule } from './outbox/outbox.module';
import { OutboxSweeper } from './outbox/outbox-sweeper.service';
import { PetitionCountsAggregator, PetitionRecountTask } from './petitions/petition-counts.task';
import { PetitionsModule } from './petitions/petitions.module';
import { SignatureRemindersTask } from './petitions/signature-reminders.task';
import { ConfirmationsProcessor } from './queues/confirmations.processor';
import { MailingsProcessor } from './queues/mailings.processor';
import { RetentionModule } from './retention/retention.module';
import { RetentionTask } from './retention/retention.task';

/**
 * The workers (dist/worker.js): every queue consumer and the periodic tasks that re-derive
 * from PostgreSQL what Redis may have lost. The action kinds' jobs, reconciliation and
 * retention steps come from their definitions (src/actions); the consumers start taking
 * jobs only once every job name has its one handler.
 */
@Module({
  imports: [
    CoreModule,
    MailModule,
    OutboxModule,
    ActionsModule,
    JoinModule,
    RetentionModule,
    PetitionsModule,
    EventsModule,
    MailingsModule,
    ConsoleAuthMailModule,
  ],
  providers: [
    ConfirmationsProcessor,
    MailingsProcessor,
    EventRemindersProcessor,
    OutboxSweeper,
    ActionsReconciler,
    MailReconciler,
    MailingsScheduler,
    RetentionTask,
    PetitionCountsAggregator,
    PetitionRecountTask,
    SignatureRemindersTask,
    EventRemindersSweeper,
    DeliveriesRetentionService,
  ],
})
export class WorkerModule {}
