import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { Job } from 'bullmq';
import { ConfirmationJob, ConfirmationPayloads, CONFIRMATIONS_QUEUE } from '../queues/confirmations.queue';
import { TransactionalMailService } from '../mail/transactional-mail.service';
import { ProcessSignupService } from './process-signup.service';

/** Consumer of the confirmations queue (worker process only). */
@Processor(CONFIRMATIONS_QUEUE)
export class ConfirmationsProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConfirmationsProcessor.name);
  private lastError = 0;

  constructor(
    private readonly signups: ProcessSignupService,
    private readonly mail: TransactionalMailService,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.WORKER_CONCURRENCY;
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, err: Error): void {
    this.logger.warn(`job ${job?.name ?? '?'} ${job?.id ?? ''} failed (attempt ${job?.attemptsMade ?? 0}): ${err.message}`);
  }

  /** Connection errors repeat on every reconnect attempt; one line a minute is enough. */
  @OnWorkerEvent('error')
  onError(err: Error): void {
    if (Date.now() - this.lastError < 60_000) return;
    this.lastError = Date.now();
    this.logger.warn(`worker connection: ${err.message}`);
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
