import { Module } from '@nestjs/common';
import { ExportsModule } from '../exports/exports.module';
import { OutboxModule } from '../outbox/outbox.module';
import { ImportJobRunner } from './import-job.runner';
import { ImportJobsRepository } from './import-jobs.repository';
import { ImportWizardService } from './import-wizard.service';
import { ImportsModule } from './imports.module';

/**
 * Background imports (the console's wizard): `ImportWizardService` in the API stores the
 * file and starts the job; `ImportJobRunner` (its `@OnJob` handler) and `ImportJobsSweeper`
 * (worker only) run and re-drive it. Needs the queues (CoreModule), so not in the CLI.
 */
@Module({
  imports: [ImportsModule, OutboxModule, ExportsModule],
  providers: [ImportJobsRepository, ImportWizardService, ImportJobRunner],
  exports: [ImportWizardService, ImportJobsRepository],
})
export class ImportJobsModule {}
