import { Module } from '@nestjs/common';
import { CoreModule } from './core.module';
import { OutboxModule } from './outbox/outbox.module';
import { OutboxSweeper } from './outbox/outbox-sweeper.service';
import { ConfirmationsProcessor } from './queues/confirmations.processor';
import { MailReconciler } from './mail/mail-reconciler.service';
import { MailingsModule } from './mailings/mailings.module';
import { MailingsScheduler } from './mailings/mailings-scheduler.service';
import { MailingsProcessor } from './queues/mailings.processor';
import { SignupsReconciler } from './supporters/signups-reconciler.service';
import { SupportersModule } from './supporters/supporters.module';

/** The workers (dist/worker.js): every queue consumer and the outbox relay's sweeper. */
@Module({
  imports: [CoreModule, OutboxModule, SupportersModule, MailingsModule],
  providers: [ConfirmationsProcessor, MailingsProcessor, OutboxSweeper, SignupsReconciler, MailReconciler, MailingsScheduler],
})
export class WorkerModule {}
