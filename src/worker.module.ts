import { Module } from '@nestjs/common';
import { CoreModule } from './core.module';
import { OutboxModule } from './outbox/outbox.module';
import { OutboxSweeper } from './outbox/outbox-sweeper.service';
import { ConfirmationsProcessor } from './queues/confirmations.processor';
import { MailReconciler } from './mail/mail-reconciler.service';
import { RetentionModule } from './retention/retention.module';
import { RetentionTask } from './retention/retention.task';
import { SignupsReconciler } from './supporters/signups-reconciler.service';
import { SupportersModule } from './supporters/supporters.module';

/** The workers (dist/worker.js): every queue consumer and the outbox relay's sweeper. */
@Module({
  imports: [CoreModule, OutboxModule, SupportersModule, RetentionModule],
  providers: [ConfirmationsProcessor, OutboxSweeper, SignupsReconciler, MailReconciler, RetentionTask],
})
export class WorkerModule {}
