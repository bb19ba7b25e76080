import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { withTimeout } from '../common/async.util';
import { PeriodicTask } from '../common/periodic-task';
import { ImportJobName, IMPORTS_QUEUE } from '../queues/imports.queue';
import { IMPORT_STALE_SECONDS } from './import-job.runner';
import { ImportJobsRepository } from './import-jobs.repository';

/** A queued import not started after this long lost its job (Redis emptied, retries used up). */
const QUEUED_STALE_SECONDS = 300;

/**
 * Worker task: re-drives background imports from PostgreSQL, where their intent lives.
 * A running import whose worker died (heartbeat stale) and a queued one whose job was lost
 * get a new job; the claim decides who runs it, so a re-drive of a live job does nothing.
 */
@Injectable()
export class ImportJobsSweeper extends PeriodicTask {
  protected readonly everyMs = 30_000;
  protected override readonly firstRunAfterMs = 15_000;

  constructor(
    private readonly jobs: ImportJobsRepository,
    @InjectQueue(IMPORTS_QUEUE) private readonly queue: Queue,
  ) {
    super();
  }

  async runOnce(): Promise<number> {
    const stale = await this.jobs.stale(IMPORT_STALE_SECONDS, QUEUED_STALE_SECONDS, 100);
    if (stale.length === 0) return 0;
    // One job id per claim attempt and five-minute window: never a duplicate of a live job,
    // never refused as the duplicate of a finished or failed one.
    const window = Math.floor(Date.now() / (QUEUED_STALE_SECONDS * 1000));
    await withTimeout(
      this.queue.addBulk(
        stale.map((j) => ({
          name: ImportJobName.RunImport,
          data: { importId: j.id },
          opts: { jobId: `import-${j.id}-${j.attempts}-w${window}` },
        })),
      ),
      3_000,
      'enqueue',
    );
    this.logger.warn(`re-drove ${stale.length} import(s) whose job never finished`);
    return stale.length;
  }
}
