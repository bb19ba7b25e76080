import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { PeriodicTask } from '../common/periodic-task';
import { TransactionRunner } from '../database/database.module';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { OutboxRepository, PendingOutboxEntry } from '../outbox/outbox.repository';
import { MailingJob, mailingJobId, MAILINGS_QUEUE } from '../queues/mailings.queue';
import { DeliveriesRepository } from './deliveries.repository';
import { MailingPlanner } from './mailing-planner.service';
import { MailingSender } from './mailing-sender.service';
import { MailingsRepository } from './mailings.repository';
import { MailingsService } from './mailings.service';

/** A sending mailing with no sign of life for this long has lost its jobs (a wiped Redis, say). */
const STALLED_AFTER_SECONDS = 300;

/**
 * Worker-side clock of the mailings: starts scheduled mailings when their `sendAt` comes
 * (the schedule lives in PostgreSQL, so restarts and a wiped Redis lose nothing), and
 * re-drives sending mailings whose jobs vanished by planning and sending their remaining
 * batches directly. Both are safe beside a live job: every step takes its own lock.
 * When Redis comes back after being lost, every sending mailing's remaining jobs (its
 * planner, its unfinished batches) are enqueued again at once, under the same job ids, so a
 * newsletter whose jobs went with Redis does not wait for the stall detection.
 */
@Injectable()
export class MailingsScheduler extends PeriodicTask {
  protected readonly everyMs = 5_000;
  /** Set when Redis is back after being lost; the next pass re-enqueues. */
  private requeueWanted = false;

  constructor(
    private readonly service: MailingsService,
    private readonly mailings: MailingsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly planner: MailingPlanner,
    private readonly sender: MailingSender,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly transactions: TransactionRunner,
  ) {
    super();
    relay.onReconnect(() => (this.requeueWanted = true));
  }

  async runOnce(): Promise<{ started: number; redriven: number }> {
    const started = await this.service.startDue();
    await this.requeueIfWanted();
    let redriven = 0;
    for (const id of await this.mailings.findStalled(STALLED_AFTER_SECONDS, 5)) {
      if (this.stopping) break;
      // Touched first, so the next pass leaves it to this one.
      await this.mailings.touch(id);
      this.logger.warn(`mailing ${id} made no progress for ${STALLED_AFTER_SECONDS} s; re-driving it`);
      try {
        await this.planner.plan(id);
        for (const batch of await this.deliveries.unfinishedBatches(id)) {
          if (this.stopping) break;
          await this.sender.sendBatch(id, batch);
        }
      } catch (err) {
        this.logger.warn(`mailing ${id} still not done: ${(err as Error).message}`);
      }
      redriven++;
    }
    return { started, redriven };
  }

  /** Every sending mailing's planner and unfinished batches back on the queue, as outbox intents. */
  private async requeueIfWanted(): Promise<void> {
    if (!this.requeueWanted || this.stopping) return;
    this.requeueWanted = false;
    try {
      for (const mailingId of await this.mailings.findSending(100)) {
        // The planner stops at once when everything is planned, and finishes a mailing with nothing left.
        const entries: PendingOutboxEntry[] = [
          {
            id: randomUUID(),
            queue: MAILINGS_QUEUE,
            jobName: MailingJob.PlanMailing,
            jobId: mailingJobId.planMailing(mailingId),
            payload: { mailingId },
          },
          ...(await this.deliveries.unfinishedBatches(mailingId)).map((batch) => ({
            id: randomUUID(),
            queue: MAILINGS_QUEUE,
            jobName: MailingJob.SendBatch,
            jobId: mailingJobId.sendBatch(mailingId, batch),
            payload: { mailingId, batch },
          })),
        ];
        await this.transactions.run((tx) => this.outbox.add(tx, entries));
        for (const entry of entries) this.relay.dispatchSoon(entry);
        this.logger.log(`Redis is back: mailing ${mailingId}'s ${entries.length - 1} unfinished batch(es) enqueued again`);
      }
    } catch (err) {
      this.requeueWanted = true;
      this.logger.warn(`could not re-enqueue sending mailings yet: ${(err as Error).message}`);
    }
  }
}
