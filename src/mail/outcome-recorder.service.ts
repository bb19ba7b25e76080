import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { retryBriefly } from '../common/async.util';
import { BatchOutcome, MicroBatcher } from '../common/micro-batcher';
import { LogThrottle } from '../common/periodic-task';
import { EmailMessageRepository, SendOutcome } from './email-message.repository';

/** Outcomes kept in memory while PostgreSQL is away; beyond it the oldest are let go (see below). */
export const MAX_PARKED_OUTCOMES = 10_000;
/** The longest wait between two tries to write parked outcomes. */
const MAX_RETRY_DELAY_MS = 5_000;
/** How long a stopping worker keeps trying to write what it still holds. */
const SHUTDOWN_FLUSH_MS = 5_000;
/** Outcomes written per statement. */
const CHUNK = 1_000;

/**
 * Writes what SMTP answered for a locked message, for as long as PostgreSQL is away.
 *
 * The write is tried at once (and briefly again, for a blink). If PostgreSQL is still away
 * the outcome is parked in memory and written by a background loop (backing off to one try
 * every 5 s) as soon as PostgreSQL answers, however long that takes; the job that sent it
 * finishes meanwhile, so no worker slot waits on the database.
 *
 * Memory and shutdown never decide whether an email goes out twice: the row itself does.
 * A message is locked (`sending`) before SMTP sees it and a `sending` row is never taken
 * again, so whatever this class loses (a worker killed, a shutdown whose last tries failed,
 * more than MAX_PARKED_OUTCOMES parked, the oldest let go) stays `sending`, and the mail
 * reconciler settles it as sent, uncertain, after ABANDONED_AFTER_SECONDS. What is kept
 * only makes the record exact (sent rather than assumed sent; a refused message failed, an
 * unsent one pending again for a retry).
 */
@Injectable()
export class OutcomeRecorder implements BeforeApplicationShutdown {
  private readonly logger = new Logger(OutcomeRecorder.name);
  private readonly overflowLog = new LogThrottle();
  /** By message id, in the order parked (a Map keeps insertion order: the oldest first). */
  private readonly parked = new Map<string, SendOutcome>();
  private timer?: NodeJS.Timeout;
  private delayMs = 250;
  private flushing?: Promise<void>;
  private stopping = false;
  protected readonly limit: number = MAX_PARKED_OUTCOMES;
  /** Outcomes of the sends that finish together, written in one statement and one commit. */
  private readonly batcher = new MicroBatcher<SendOutcome, void>({
    run: (outcomes) => this.writeTogether(outcomes),
    maxBatch: CHUNK,
    maxInFlight: 2,
  });

  constructor(private readonly messages: EmailMessageRepository) {}

  /** How many outcomes wait for PostgreSQL. */
  get waiting(): number {
    return this.parked.size;
  }

  /** Whether the outcome of message `id` waits for PostgreSQL. */
  holds(id: string): boolean {
    return this.parked.has(id);
  }

  /**
   * Records an outcome; resolves once it is written, or parked to be written later (never
   * rejects: the message's fate no longer depends on it).
   */
  record(outcome: SendOutcome): Promise<void> {
    return this.batcher.submit(outcome);
  }

  private async writeTogether(outcomes: SendOutcome[]): Promise<Array<BatchOutcome<void>>> {
    // One row per message (the later outcome wins, as it would written one after the other).
    const latest = new Map(outcomes.map((o) => [o.id, o]));
    try {
      await retryBriefly(() => this.messages.recordOutcomes([...latest.values()]), 3);
    } catch (err) {
      for (const outcome of latest.values()) this.park(outcome, err as Error);
    }
    return outcomes.map(() => ({ value: undefined }));
  }

  /** Tries the parked outcomes now (the loop's step; public so tests can drive it). */
  flush(): Promise<void> {
    this.flushing ??= this.writeParked().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  /** A stopping worker tries a few more seconds; what it cannot write stays `sending` (see above). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    const deadline = Date.now() + SHUTDOWN_FLUSH_MS;
    while (this.parked.size > 0 && Date.now() < deadline) {
      await this.flush();
      if (this.parked.size > 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    if (this.parked.size > 0) {
      this.logger.error(
        `stopping with ${this.parked.size} send outcome(s) unwritten (PostgreSQL away); those messages stay 'sending' ` +
          `and are settled as sent, uncertain, never sent again: ${[...this.parked.keys()].slice(0, 50).join(', ')}`,
      );
    }
  }

  private park(outcome: SendOutcome, err: Error): void {
    this.parked.delete(outcome.id);
    this.parked.set(outcome.id, outcome);
    this.logger.error(
      `message ${outcome.id} is ${outcome.status === 'pending' ? 'not sent' : outcome.status}; recording it waits for PostgreSQL: ${err.message}`,
    );
    while (this.parked.size > this.limit) {
      const oldest = this.parked.keys().next().value as string;
      this.parked.delete(oldest);
      if (this.overflowLog.shouldLog()) {
        this.logger.error(
          `more than ${this.limit} send outcomes wait for PostgreSQL; the oldest (${oldest}...) stay 'sending' and will be settled as sent, uncertain`,
        );
      }
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.stopping || this.timer || this.parked.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().finally(() => this.schedule());
    }, this.delayMs);
    this.timer.unref();
  }

  private async writeParked(): Promise<void> {
    while (this.parked.size > 0) {
      const chunk = [...this.parked.values()].slice(0, CHUNK);
      try {
        await this.messages.recordOutcomes(chunk);
      } catch {
        this.delayMs = Math.min(this.delayMs * 2, MAX_RETRY_DELAY_MS);
        return;
      }
      // An outcome parked again while this chunk was being written is newer: keep it.
      for (const written of chunk) if (this.parked.get(written.id) === written) this.parked.delete(written.id);
      this.delayMs = 250;
      this.logger.log(`recorded ${chunk.length} send outcome(s) that waited for PostgreSQL`);
    }
  }
}
