import { Module } from '@nestjs/common';
import { ActionsModule } from './actions/actions.module';
import { ActionsReconciler } from './actions/actions-reconciler.task';
import { CanariesModule } from './canaries/canaries.module';
import { ChangeFeedRelay } from './changes/change-feed.relay';
import { ConsoleAuthMailModule } from './console-auth/console-auth.module';
import { CoreModule } from './core.module';
import { ExportRequestsModule } from './export-requests/export-requests.module';
import { EventRemindersProcessor } from './events/event-reminders.processor';
import { EventRemindersSweeper } from './events/event-reminders.sweeper';
import { EventsModule } from './events/events.module';
import { ImportJobsSweeper } from './imports/import-jobs.sweeper';
import { ImportJobsModule } from './imports/import-jobs.module';
import { JoinModule } from './join/join.module';
import { MailModule } from './mail/mail.module';
import { MailReconciler } from './mail/mail-reconciler.service';
import { DeliveriesRetentionService } from './mailings/deliveries-retention.service';
import { MailingsModule } from './mailings/mailings.module';
import { MailingsScheduler } from './mailings/mailings-scheduler.service';
import { OrganizersModule } from './organizers/organizers.module';
import { OutboxModule } from './outbox/outbox.module';
import { OutboxSweeper } from './outbox/outbox-sweeper.service';
import { PetitionCountsAggregator, PetitionRecountTask } from './petitions/petition-counts.task';
import { PetitionsModule } from './petitions/petitions.module';
import { SignatureRemindersTask } from './petitions/signature-reminders.task';
import { ConfirmationsProcessor } from './queues/confirmations.processor';
import { ImportsProcessor } from './queues/imports.processor';
import { MailingsProcessor } from './queues/mailings.processor';
import { RetentionModule } from './retention/retention.module';
import { RetentionTask } from './retention/retention.task';
import { WebhooksProcessor } from './queues/webhooks.processor';
import { WebhookSweeper } from './webhooks/webhook-sweeper.task';
import { WebhooksModule } from './webhooks/webhooks.module';

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
    CanariesModule,
    ExportRequestsModule,
    WebhooksModule,
    ImportJobsModule,
    // The invitation email's InvitationsService needs OrganizersService (global, but only if imported).
    OrganizersModule,
    ConsoleAuthMailModule,
  ],
  providers: [
    ConfirmationsProcessor,
    MailingsProcessor,
    EventRemindersProcessor,
    WebhooksProcessor,
    ImportsProcessor,
    ImportJobsSweeper,
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
    ChangeFeedRelay,
    WebhookSweeper,
  ],
})
export class WorkerModule {}
