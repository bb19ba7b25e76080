import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { LogThrottle } from '../common/periodic-task';
import { JobHandlers } from './job-handlers';

/**
 * What every queue consumer does the same way: concurrency from config, throttled
 * connection errors, and dispatch to the feature that registered the job name. A consumer
 * is `@Processor(QUEUE) class XProcessor extends QueueConsumer` and lives in the worker only.
 */
export abstract class QueueConsumer extends WorkerHost implements OnApplicationBootstrap {
  protected abstract readonly queueName: string;
  protected readonly logger = new Logger(this.constructor.name);
  private readonly connectionErrors = new LogThrottle();

  constructor(
    private readonly handlers: JobHandlers,
    private readonly concurrency: number,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.concurrency;
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
    await this.handlers.run(this.queueName, job);
  }
}
