import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { DeliveriesRepository } from './deliveries.repository';
import { MailingPlanner } from './mailing-planner.service';
import { MailingSender } from './mailing-sender.service';
import { MailingsRepository } from './mailings.repository';
import { MailingsService } from './mailings.service';

/** A sending mailing with no sign of life for this long has lost its jobs (a wiped Redis, say). */
const STALLED_AFTER_SECONDS = 300;

/**
 * Worker-side clock of the mailings: starts scheduled mailings when their `sendAt` comes
 * (the schedule lives in PostgreSQL, so restarts and a wiped Redis lose nothing), and
 * re-drives sending mailings whose jobs vanished by planning and sending their remaining
 * batches directly. Both are safe beside a live job: every step takes its own lock.
 */
@Injectable()
export class MailingsScheduler extends PeriodicTask {
  protected readonly everyMs = 5_000;

  constructor(
    private readonly service: MailingsService,
    private readonly mailings: MailingsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly planner: MailingPlanner,
    private readonly sender: MailingSender,
  ) {
    super();
  }

  async runOnce(): Promise<{ started: number; redriven: number }> {
    const started = await this.service.startDue();
    let redriven = 0;
    for (const id of await this.mailings.findStalled(STALLED_AFTER_SECONDS, 5)) {
      if (this.stopping) break;
      // Touched first, so the next pass leaves it to this one.
      await this.mailings.touch(id);
      this.logger.warn(`mailing ${id} made no progress for ${STALLED_AFTER_SECONDS} s; re-driving it`);
      try {
        await this.planner.plan(id);
        for (const batch of await this.deliveries.unfinishedBatches(id)) {
          if (this.stopping) break;
          await this.sender.sendBatch(id, batch);
        }
      } catch (err) {
        this.logger.warn(`mailing ${id} still not done: ${(err as Error).message}`);
      }
      redriven++;
    }
    return { started, redriven };
  }
}
