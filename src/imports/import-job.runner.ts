import { HttpException, Injectable, Logger } from '@nestjs/common';
import { OnJob } from '../queues/job-handlers';
import { IMPORTS_QUEUE, ImportJobName } from '../queues/imports.queue';
import type { RunImportPayload } from '../queues/imports.queue';
import { ImportColumn, ImportPeopleService } from './import-people.service';
import { ImportJobsRepository } from './import-jobs.repository';
import { ImportWizardService } from './import-wizard.service';

/** A running import's claim expires this long after its last heartbeat (the worker died). */
export const IMPORT_STALE_SECONDS = 60;
const HEARTBEAT_MS = 10_000;
/** Claims after which a job that keeps failing on something other than its file is given up. */
const MAX_ATTEMPTS = 10;

/**
 * Runs a background import (worker). The payload is the import's id; the claim is a
 * conditional update (`queued`, or `running` with a stale heartbeat → `running`), so a
 * duplicate job does nothing while another worker runs it. The import resumes after the
 * job's checkpoint: each batch of 500 lines writes its people, its rejected lines and the
 * checkpoint in one transaction, so a worker killed mid-file loses nothing and counts
 * nothing twice. A problem with the file itself (4xx) fails the job with its message; any
 * other fault hands it back to the queue's retries (and the sweeper, `ImportJobsSweeper`).
 */
@Injectable()
export class ImportJobRunner {
  private readonly logger = new Logger(ImportJobRunner.name);

  constructor(
    private readonly jobs: ImportJobsRepository,
    private readonly importer: ImportPeopleService,
    private readonly wizard: ImportWizardService,
  ) {}

  @OnJob({ queue: IMPORTS_QUEUE, name: ImportJobName.RunImport })
  async run({ importId }: RunImportPayload): Promise<void> {
    const job = await this.jobs.claim(importId, IMPORT_STALE_SECONDS);
    if (!job) return; // finished, running elsewhere, or not started
    if (job.attempts > MAX_ATTEMPTS) {
      await this.jobs.finish(importId, 'failed', 'The import kept failing and was stopped; the lines already imported stay imported');
      return;
    }
    const heartbeat = setInterval(() => {
      this.jobs.heartbeat(importId).catch((err: Error) => this.logger.warn(`import ${importId} heartbeat: ${err.message}`));
    }, HEARTBEAT_MS);
    try {
      await this.importer.run(this.wizard.fileStream(importId), {
        lists: job.lists,
        consentConfirmed: job.consentConfirmed,
        overwrite: job.overwrite,
        organizerId: job.organizerId,
        via: 'console',
        importId,
        columns: (job.mapping ?? []) as Array<ImportColumn | null>,
        resumeAfterLine: job.checkpointLine,
        resumeCounts: { imported: job.imported, updated: job.updated, rejectedCount: job.rejected },
        onCheckpoint: (tx, at) => this.jobs.checkpoint(tx, importId, at, at.rejected),
      });
      await this.jobs.finish(importId, 'done', null);
    } catch (err) {
      if (err instanceof HttpException && err.getStatus() < 500) {
        await this.jobs.finish(importId, 'failed', err.message);
        return;
      }
      await this.jobs.release(importId).catch(() => undefined);
      throw err;
    } finally {
      clearInterval(heartbeat);
    }
  }
}
