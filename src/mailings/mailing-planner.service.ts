import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/database.module';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { OutboxRepository, PendingOutboxEntry } from '../outbox/outbox.repository';
import { OnJob } from '../queues/job-handlers';
import { MailingJob, mailingJobId, MAILINGS_QUEUE } from '../queues/mailings.queue';
import type { PlanMailingPayload, SendBatchPayload } from '../queues/mailings.queue';
import { DeliveriesRepository } from './deliveries.repository';
import { MailingCompletion } from './mailing-completion.service';
import { MailingsRepository } from './mailings.repository';

/**
 * People matched per planning step: a step stores up to this many recipients in one
 * statement and commits them with its progress. A million recipients take ten statements,
 * not a thousand, and a step is large enough for PostgreSQL to match the audience with one
 * hash join rather than an index probe per person.
 */
const PEOPLE_PER_STEP = 100_000;

/**
 * Stores every recipient's delivery row before anything is sent, a range of people at a
 * time (keyset on person id, one set-based INSERT ... SELECT numbering the rows into
 * batches). Each step commits with its progress and the outbox intents of the batches it
 * filled, so a planner killed anywhere resumes at the next range and no batch is ever
 * forgotten. Safe to run twice: planners of one mailing take turns (an advisory lock per
 * step) and the unique key refuses a second delivery for a person.
 */
@Injectable()
export class MailingPlanner {
  private readonly logger = new Logger(MailingPlanner.name);

  constructor(
    private readonly mailings: MailingsRepository,
    private readonly completion: MailingCompletion,
    private readonly deliveries: DeliveriesRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
  ) {}

  @OnJob({ queue: MAILINGS_QUEUE, name: MailingJob.PlanMailing })
  async onPlanMailing(data: PlanMailingPayload): Promise<void> {
    await this.plan(data.mailingId);
  }

  async plan(mailingId: string): Promise<void> {
    const batchSize = this.config.MAILING_BATCH_SIZE;
    const span = Math.max(PEOPLE_PER_STEP, batchSize);
    for (;;) {
      const result = await this.transactions.run(async (tx) => {
        // Not the row lock: a cancel must not wait for a step. Read under the planner's lock,
        // the status still stops planning at the next step after a cancel.
        const mailing = await this.mailings.lockPlanning(tx, mailingId);
        if (mailing?.status !== 'sending' || mailing.plannedAt) return { done: true, entries: [] };
        const first = mailing.plannedBatches;
        const range = await this.deliveries.planRange(tx, mailing, mailing.plannedThrough, first, batchSize, span);
        await this.mailings.recordPlannedRange(tx, mailingId, range.through, range.batches);
        const entries: PendingOutboxEntry[] = Array.from({ length: range.batches }, (_, i) => ({
          id: randomUUID(),
          queue: MAILINGS_QUEUE,
          jobName: MailingJob.SendBatch,
          jobId: mailingJobId.sendBatch(mailingId, first + i),
          payload: { mailingId, batch: first + i } satisfies SendBatchPayload,
        }));
        await this.outbox.add(tx, entries);
        // The range reached the last person: everyone is planned.
        if (range.through === null) await this.mailings.markPlanned(tx, mailingId);
        return { done: range.through === null, entries };
      });
      for (const entry of result.entries) this.relay.dispatchSoon(entry);
      if (result.done) break;
    }
    // A mailing with no one left to send to (or whose batches all finished while we planned).
    await this.completion.finishIfDone(mailingId);
  }
}
