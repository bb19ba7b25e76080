import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { ConfirmationJob, ConfirmationPayloads, CONFIRMATIONS_QUEUE } from '../queues/confirmations.queue';
import { TransactionalMailService } from '../mail/transactional-mail.service';
import { ProcessSignupService } from './process-signup.service';

/** Consumer of the confirmations queue (worker process only). */
@Processor(CONFIRMATIONS_QUEUE, { concurrency: 10 })
export class ConfirmationsProcessor extends WorkerHost {
  constructor(
    private readonly signups: ProcessSignupService,
    private readonly mail: TransactionalMailService,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    const name = job.name as keyof ConfirmationPayloads;
    switch (name) {
      case ConfirmationJob.ProcessSignup:
        await this.signups.process((job.data as ConfirmationPayloads[typeof name]).signupId);
        return;
      case ConfirmationJob.SendMessage:
        await this.mail.send((job.data as ConfirmationPayloads[typeof name]).messageId);
        return;
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)} on ${CONFIRMATIONS_QUEUE}`);
      }
    }
  }
}
