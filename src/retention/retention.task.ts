import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { RetentionService } from './retention.service';

/** Runs the retention purge hourly in the workers (several workers running it at once is harmless: plain deletes). */
@Injectable()
export class RetentionTask extends PeriodicTask {
  protected readonly everyMs = 60 * 60_000;
  protected override readonly firstRunAfterMs = 60_000;

  constructor(private readonly retention: RetentionService) {
    super();
  }

  runOnce(): Promise<Record<string, number>> {
    return this.retention.purge(() => this.stopping);
  }
}
