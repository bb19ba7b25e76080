import { Module } from '@nestjs/common';
import { CoreModule } from './core.module';
import { OutboxModule } from './outbox/outbox.module';
import { OutboxSweeper } from './outbox/outbox-sweeper.service';
import { ConfirmationsProcessor } from './supporters/confirmations.processor';
import { ConfirmationsReconciler } from './supporters/confirmations-reconciler.service';
import { SupportersModule } from './supporters/supporters.module';

/** The workers (dist/worker.js): every queue consumer and the outbox relay's sweeper. */
@Module({
  imports: [CoreModule, OutboxModule, SupportersModule],
  providers: [ConfirmationsProcessor, OutboxSweeper, ConfirmationsReconciler],
})
export class WorkerModule {}
