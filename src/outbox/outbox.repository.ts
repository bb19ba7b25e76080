import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { OutboxEntry } from './outbox-entry.entity';

export interface NewOutboxEntry {
  queue: string;
  jobName: string;
  jobId: string;
  payload: Record<string, unknown>;
}

export interface PendingOutboxEntry extends NewOutboxEntry {
  id: string;
}

/** An INSERT of the record the outbox entry is about, with its own parameters ($1...). */
export interface RecordInsert {
  sql: string;
  params: unknown[];
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Inserts a record and its outbox entry in one statement: atomic without a transaction,
   * and one round trip on the hot path (a sign-up is this and nothing else).
   */
  async addWithRecord(record: RecordInsert, entry: PendingOutboxEntry): Promise<void> {
    const n = record.params.length;
    await this.dataSource.query(
      `WITH record AS (${record.sql})
       INSERT INTO outbox (id, queue, job_name, job_id, payload) VALUES ($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5})`,
      [...record.params, entry.id, entry.queue, entry.jobName, entry.jobId, JSON.stringify(entry.payload)],
    );
  }

  /** Adds entries inside the caller's transaction: they commit (or vanish) with its records. */
  async add(tx: EntityManager, entries: PendingOutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await tx.query(
      `INSERT INTO outbox (id, queue, job_name, job_id, payload)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[])`,
      [
        entries.map((e) => e.id),
        entries.map((e) => e.queue),
        entries.map((e) => e.jobName),
        entries.map((e) => e.jobId),
        entries.map((e) => JSON.stringify(e.payload)),
      ],
    );
  }

  /** Undispatched entries, oldest first (those older than `olderThanMs` when given). */
  findPending(options: { olderThanMs?: number; limit: number }): Promise<OutboxEntry[]> {
    const qb = this.dataSource.getRepository(OutboxEntry).createQueryBuilder('o').where('o.dispatched_at IS NULL');
    if (options.olderThanMs !== undefined) {
      qb.andWhere(`o.created_at < now() - make_interval(secs => :secs)`, { secs: options.olderThanMs / 1000 });
    }
    return qb.orderBy('o.created_at', 'ASC').limit(options.limit).getMany();
  }

  /**
   * Entries dispatched since `since`, oldest first. Runs only after Redis came back, so it
   * does without an index of its own (one scan of the week of entries the table keeps).
   */
  async findDispatchedSince(since: Date, limit: number): Promise<PendingOutboxEntry[]> {
    return this.dataSource.query(
      `SELECT id, queue, job_name AS "jobName", job_id AS "jobId", payload FROM outbox
       WHERE dispatched_at >= $1 ORDER BY dispatched_at, id LIMIT $2`,
      [since, limit],
    );
  }

  async markDispatched(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE outbox SET dispatched_at = now() WHERE id = ANY($1) AND dispatched_at IS NULL`, [ids]);
  }

  async markAttempted(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`UPDATE outbox SET attempts = attempts + 1 WHERE id = ANY($1)`, [ids]);
  }

  /** Dispatched entries are only history; keep a week of it. */
  async purgeDispatched(olderThanDays: number): Promise<number> {
    const result: [unknown, number] = await this.dataSource.query(
      `DELETE FROM outbox WHERE dispatched_at < now() - make_interval(days => $1)`,
      [olderThanDays],
    );
    return result[1];
  }
}
