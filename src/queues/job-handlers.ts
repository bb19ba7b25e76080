import { Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { Job } from 'bullmq';

export type JobHandler<P> = (data: P, job: Job) => Promise<unknown>;

/**
 * Marks a service method as the handler of one job: `@OnJob({ queue: CONFIRMATIONS_QUEUE,
 * name: ConfirmationJob.SendEventEmail })`. Found at boot; the method gets the job's data.
 */
export const OnJob = DiscoveryService.createDecorator<{ queue: string; name: string }>();

/**
 * Which service runs which job. A queue has one BullMQ worker, but its jobs belong to
 * different features (a sign-up, a signature and an RSVP share the confirmations queue), so
 * the handlers are found at boot: every `@OnJob` method, and the handlers the action kinds'
 * definitions give (`ActionWorker` registers those). One handler per job name, or the
 * process does not start; each consumer checks its queue's catalogue before it takes a job.
 */
@Injectable()
export class JobHandlers implements OnModuleInit {
  private readonly handlers = new Map<string, JobHandler<unknown>>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      if (!wrapper.isDependencyTreeStatic()) continue;
      const instance = wrapper.instance as Record<string, (data: unknown, job: Job) => Promise<unknown>> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      for (const method of this.scanner.getAllMethodNames(Object.getPrototypeOf(instance) as object)) {
        const job = this.discovery.getMetadataByDecorator(OnJob, wrapper, method);
        if (job) this.register(job.queue, job.name, (data, j) => instance[method](data, j));
      }
    }
  }

  register<P>(queue: string, jobName: string, handler: JobHandler<P>): void {
    const key = `${queue}:${jobName}`;
    if (this.handlers.has(key)) throw new Error(`two handlers for job ${jobName} on queue ${queue}`);
    this.handlers.set(key, handler as JobHandler<unknown>);
  }

  /**
   * The start-up check of a queue's consumer: every job name of its catalogue has its one
   * handler, and no handler waits for a name the catalogue does not have (a typo would leave
   * that job's handler unused and its jobs failing).
   */
  verify(queue: string, catalogue: readonly string[]): void {
    const missing = catalogue.filter((name) => !this.handlers.has(`${queue}:${name}`));
    const strays = [...this.handlers.keys()]
      .filter((key) => key.startsWith(`${queue}:`))
      .map((key) => key.slice(queue.length + 1))
      .filter((name) => !catalogue.includes(name));
    const problems = [
      ...missing.map((name) => `no handler for job ${name}`),
      ...strays.map((name) => `a handler for job ${name}, which the queue's catalogue does not have`),
    ];
    if (problems.length > 0) throw new Error(`queue ${queue}: ${problems.join('; ')}`);
  }

  async run(queue: string, job: Job): Promise<void> {
    const handler = this.handlers.get(`${queue}:${job.name}`);
    // Thrown, not skipped: the job stays in Redis (failed) for an operator to see.
    if (!handler) throw new Error(`no handler for job ${job.name} on queue ${queue}`);
    await handler(job.data as unknown, job);
  }
}
