import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/database.module';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { OutboxRepository, PendingOutboxEntry } from '../outbox/outbox.repository';
import { JobHandlers } from '../queues/job-handlers';
import { MailingJob, mailingJobId, MAILINGS_QUEUE, PlanMailingPayload, SendBatchPayload } from '../queues/mailings.queue';
import { DeliveriesRepository } from './deliveries.repository';
import { MailingsRepository } from './mailings.repository';

/**
 * Stores every recipient's delivery row before anything is sent, page by page (keyset on
 * person id, set-based INSERT ... SELECT). Each page commits with its progress and the
 * outbox intent of its batch job, so a planner killed anywhere resumes at the next page and
 * no batch is ever forgotten. Safe to run twice: the mailing row is locked per page and
 * the unique key refuses a second delivery for a person.
 */
@Injectable()
export class MailingPlanner implements OnModuleInit {
  private readonly logger = new Logger(MailingPlanner.name);

  constructor(
    private readonly mailings: MailingsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly transactions: TransactionRunner,
    private readonly jobs: JobHandlers,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.jobs.register<PlanMailingPayload>(MAILINGS_QUEUE, MailingJob.PlanMailing, (data) => this.plan(data.mailingId));
  }

  async plan(mailingId: string): Promise<void> {
    for (;;) {
      const result = await this.transactions.run(async (tx) => {
        const mailing = await this.mailings.lock(tx, mailingId);
        if (mailing?.status !== 'sending' || mailing.plannedAt) return { done: true };
        const batch = mailing.plannedBatches;
        const page = await this.deliveries.planPage(tx, mailing, mailing.plannedThrough, batch, this.config.MAILING_BATCH_SIZE);
        if (page.count === 0 || page.last === null) {
          await this.mailings.markPlanned(tx, mailingId);
          return { done: true };
        }
        await this.mailings.recordPlannedPage(tx, mailingId, page.last);
        const entry: PendingOutboxEntry = {
          id: randomUUID(),
          queue: MAILINGS_QUEUE,
          jobName: MailingJob.SendBatch,
          jobId: mailingJobId.sendBatch(mailingId, batch),
          payload: { mailingId, batch } satisfies SendBatchPayload,
        };
        await this.outbox.add(tx, [entry]);
        // A short page is the last one: no need for one more query to find nothing.
        if (page.count < this.config.MAILING_BATCH_SIZE) await this.mailings.markPlanned(tx, mailingId);
        return { done: page.count < this.config.MAILING_BATCH_SIZE, entry };
      });
      if (result.entry) this.relay.dispatchSoon(result.entry);
      if (result.done) break;
    }
    // A mailing with no one left to send to (or whose batches all finished while we planned).
    if (await this.mailings.finishIfDone(mailingId)) this.logger.log(`mailing ${mailingId} sent`);
  }
}
