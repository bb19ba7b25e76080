import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { ProcessSignupService } from './process-signup.service';
import { SupportersRepository } from './supporters.repository';

const STALE_SECONDS = 120;

/**
 * The last line of "never lost": a sign-up still `received` long after its job should have
 * run (a job lost with a Redis that was wiped, say) is processed here directly. Processing
 * is idempotent, so racing a slow job is harmless.
 */
@Injectable()
export class SignupsReconciler extends PeriodicTask {
  protected readonly everyMs = 30_000;
  protected override readonly firstRunAfterMs = 30_000;

  constructor(
    private readonly supporters: SupportersRepository,
    private readonly signups: ProcessSignupService,
  ) {
    super();
  }

  async runOnce(staleSeconds = STALE_SECONDS): Promise<number> {
    let count = 0;
    for (const id of await this.supporters.findStaleReceived(staleSeconds, 200)) {
      if (this.stopping) break;
      try {
        await this.signups.process(id);
        count++;
      } catch (err) {
        this.logger.warn(`sign-up ${id} still not processed: ${(err as Error).message}`);
      }
    }
    if (count > 0) this.logger.warn(`processed ${count} sign-up(s) whose job never ran`);
    return count;
  }
}
