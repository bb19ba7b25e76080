import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { LogThrottle } from '../common/periodic-task';
import { JobHandlers } from './job-handlers';

/**
 * What every queue consumer does the same way: concurrency from config, throttled
 * connection errors, and dispatch to the feature that registered the job name. A consumer
 * is `@Processor(QUEUE, { autorun: false }) class XProcessor extends QueueConsumer` and lives
 * in the worker only. It starts taking jobs only once every handler is known and its
 * queue's catalogue checked: a job name with no handler, or two, stops the worker at start.
 */
export abstract class QueueConsumer extends WorkerHost implements OnApplicationBootstrap {
  protected abstract readonly queueName: string;
  /** The job names this queue carries (its `*.queue.ts` catalogue). */
  protected abstract readonly jobNames: readonly string[];
  protected readonly logger = new Logger(this.constructor.name);
  private readonly connectionErrors = new LogThrottle();

  constructor(
    private readonly handlers: JobHandlers,
    private readonly concurrency: number,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.handlers.verify(this.queueName, this.jobNames);
    this.worker.concurrency = this.concurrency;
    this.worker.run().catch((err: Error) => this.logger.error(`worker stopped: ${err.message}`));
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
