import { getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Queue } from 'bullmq';
import { withTimeout } from '../common/async.util';
import { LogThrottle } from '../common/periodic-task';
import { ALL_QUEUES, jobPriority } from '../queues/queues.module';
import { OutboxRepository, PendingOutboxEntry } from './outbox.repository';

const ENQUEUE_TIMEOUT_MS = 3_000;

/**
 * Moves committed intents from the outbox table onto their BullMQ queues. Job ids are the
 * entries' own deterministic ids, so dispatching an entry twice adds one job.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly queues: Map<string, Queue>;
  private readonly redisErrors = new LogThrottle();

  constructor(
    private readonly outbox: OutboxRepository,
    moduleRef: ModuleRef,
  ) {
    // Every registered queue: a feature adds its queue to ALL_QUEUES and nothing here.
    this.queues = new Map(ALL_QUEUES.map((name) => [name, moduleRef.get<Queue>(getQueueToken(name), { strict: false })]));
    for (const queue of this.queues.values()) queue.on('error', (err) => this.onRedisError(err));
  }

  /** Redis being away is expected and handled; say so once a minute, not on every retry. */
  private onRedisError(err: Error): void {
    if (this.redisErrors.shouldLog()) this.logger.warn(`queue connection: ${err.message} (intents wait in the outbox)`);
  }

  private buffer: PendingOutboxEntry[] = [];

  /**
   * Fast path, called right after a commit: enqueues on the next tick, together with every
   * other entry committed meanwhile (one addBulk and one UPDATE for a burst of requests).
   * Never throws: the entries are safe in PostgreSQL and the sweeper retries them.
   */
  dispatchSoon(entry: PendingOutboxEntry): void {
    this.buffer.push(entry);
    if (this.buffer.length > 1) return;
    setImmediate(() => {
      const batch = this.buffer;
      this.buffer = [];
      this.enqueue(batch).catch((err: Error) => this.logger.warn(`outbox entries left for the sweeper: ${err.message}`));
    });
  }

  /**
   * Calls `listener` whenever a queue's Redis connection is ready again after it was lost,
   * with the moment it was lost. Jobs queued before then may be gone (a Redis restarted
   * empty, `SHUTDOWN NOSAVE`): the caller re-drives them rather than wait for a reconciler.
   */
  onReconnect(listener: (lostAt: number) => void): void {
    for (const queue of this.queues.values()) {
      let lostAt: number | undefined;
      const backend = queue.getBackend();
      backend.on('close', () => (lostAt ??= Date.now()));
      backend.on('ready', () => {
        if (lostAt === undefined) return;
        const since = lostAt;
        lostAt = undefined;
        listener(since);
      });
    }
  }

  /**
   * Enqueues again the entries dispatched since `since` (at most `limit`, oldest first): a
   * job that still exists is left alone (same job id), a lost one is added back, and its
   * handler finds out whether anything is left to do. Returns how many were enqueued.
   */
  async redispatchSince(since: Date, limit: number): Promise<number> {
    const entries = await this.outbox.findDispatchedSince(since, limit);
    let total = 0;
    for (let i = 0; i < entries.length; i += 1_000) total += await this.enqueue(entries.slice(i, i + 1_000));
    return total;
  }

  /** Dispatches pending entries from the table; returns how many reached their queue. */
  async dispatch(options: { olderThanMs?: number; limit?: number } = {}): Promise<number> {
    const entries = await this.outbox.findPending({ ...options, limit: options.limit ?? 500 });
    return this.enqueue(entries);
  }

  private async enqueue(entries: PendingOutboxEntry[]): Promise<number> {
    if (entries.length === 0) return 0;
    const byQueue = new Map<string, PendingOutboxEntry[]>();
    for (const entry of entries) byQueue.set(entry.queue, [...(byQueue.get(entry.queue) ?? []), entry]);
    let dispatched = 0;
    for (const [name, group] of byQueue) {
      const queue = this.queues.get(name);
      if (!queue) {
        this.logger.error(`outbox entry for unknown queue ${name}`);
        continue;
      }
      try {
        // While Redis is away, fail now rather than pile commands up in ioredis's offline
        // queue: the entries are safe in PostgreSQL and the sweeper comes back for them.
        const client = await withTimeout(queue.getBackend().client, ENQUEUE_TIMEOUT_MS, 'Redis connection');
        if (client.status !== 'ready') throw new Error(`Redis is ${client.status}`);
        await withTimeout(
          queue.addBulk(
            group.map((e) => {
              const priority = jobPriority(name, e.jobName);
              return { name: e.jobName, data: e.payload, opts: priority === undefined ? { jobId: e.jobId } : { jobId: e.jobId, priority } };
            }),
          ),
          ENQUEUE_TIMEOUT_MS,
          'enqueue',
        );
      } catch (err) {
        await this.outbox.markAttempted(group.map((e) => e.id));
        throw err;
      }
      await this.outbox.markDispatched(group.map((e) => e.id));
      dispatched += group.length;
    }
    return dispatched;
  }
}
