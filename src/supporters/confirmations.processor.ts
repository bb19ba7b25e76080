import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { LogThrottle } from '../common/periodic-task';
import { Job } from 'bullmq';
import { ConfirmationJob, ConfirmationPayloads, CONFIRMATIONS_QUEUE } from '../queues/confirmations.queue';
import { ProcessSignupService } from './process-signup.service';

/** Consumer of the confirmations queue (worker process only). */
@Processor(CONFIRMATIONS_QUEUE)
export class ConfirmationsProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConfirmationsProcessor.name);
  private readonly connectionErrors = new LogThrottle();

  constructor(
    private readonly signups: ProcessSignupService,
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
    if (this.connectionErrors.shouldLog()) this.logger.warn(`worker connection: ${err.message}`);
  }

  async process(job: Job): Promise<void> {
    const name = job.name as keyof ConfirmationPayloads;
    switch (name) {
      case ConfirmationJob.ProcessSignup:
        await this.signups.process((job.data as ConfirmationPayloads[typeof name]).signupId);
        return;
      default: {
        const unknown: never = name;
        throw new Error(`unknown job ${String(unknown)} on ${CONFIRMATIONS_QUEUE}`);
      }
    }
  }
}
