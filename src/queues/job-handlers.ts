import { Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';

export type JobHandler<P> = (data: P, job: Job) => Promise<void>;

/**
 * Which service runs which job. A queue has one BullMQ worker, but its jobs belong to
 * different features (a sign-up, a signature and an RSVP confirmation share the
 * confirmations queue), so each feature registers its own job names at start-up and the
 * queue's consumer only dispatches.
 */
@Injectable()
export class JobHandlers {
  private readonly handlers = new Map<string, JobHandler<unknown>>();

  register<P>(queue: string, jobName: string, handler: JobHandler<P>): void {
    const key = `${queue}:${jobName}`;
    if (this.handlers.has(key)) throw new Error(`two handlers for job ${jobName} on queue ${queue}`);
    this.handlers.set(key, handler as JobHandler<unknown>);
  }

  async run(queue: string, job: Job): Promise<void> {
    const handler = this.handlers.get(`${queue}:${job.name}`);
    // Thrown, not skipped: the job stays in Redis (failed) for an operator to see.
    if (!handler) throw new Error(`no handler for job ${job.name} on queue ${queue}`);
    await handler(job.data as unknown, job);
  }
}
