import { Injectable } from '@nestjs/common';
import { PeriodicTask, StaleRecordsReconciler } from '../common/periodic-task';
import { PetitionsRepository } from './petitions.repository';
import { ProcessSignatureService } from './process-signature.service';

/** Sends the one reminder to signers who have not confirmed 24 hours after their email. */
@Injectable()
export class SignatureRemindersTask extends PeriodicTask {
  protected readonly everyMs = 60_000;
  protected override readonly firstRunAfterMs = 10_000;

  constructor(private readonly signatures: ProcessSignatureService) {
    super();
  }

  runOnce(): Promise<number> {
    return this.signatures.sendDueReminders();
  }
}

/**
 * A signing request still undecided long after its job should have run (a job lost with a
 * wiped Redis) is processed here; processing is idempotent, so racing a slow job is harmless.
 */
@Injectable()
export class SignaturesReconciler extends StaleRecordsReconciler {
  protected readonly noun = 'signature';

  constructor(
    private readonly petitions: PetitionsRepository,
    private readonly signatures: ProcessSignatureService,
  ) {
    super();
  }

  protected findStale(olderThanSeconds: number): Promise<string[]> {
    return this.petitions.findUnhandled(olderThanSeconds, 200);
  }

  protected async handle(id: string): Promise<boolean> {
    await this.signatures.process(id);
    return true;
  }
}
