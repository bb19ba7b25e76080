import { Injectable } from '@nestjs/common';
import { StaleRecordsReconciler } from '../common/periodic-task';
import { ProcessSignupService } from './process-signup.service';
import { SupportersRepository } from '../people/membership.repository';

/**
 * The last line of "never lost": a sign-up still `received` long after its job should have
 * run (a job lost with a Redis that was wiped, say) is processed here directly. Processing
 * is idempotent, so racing a slow job is harmless.
 */
@Injectable()
export class SignupsReconciler extends StaleRecordsReconciler {
  protected readonly noun = 'sign-up';

  constructor(
    private readonly supporters: SupportersRepository,
    private readonly signups: ProcessSignupService,
  ) {
    super();
  }

  protected findStale(olderThanSeconds: number): Promise<string[]> {
    return this.supporters.findStaleReceived(olderThanSeconds, 200);
  }

  protected async handle(id: string): Promise<boolean> {
    await this.signups.process(id);
    return true;
  }
}
