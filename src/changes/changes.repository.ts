import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ChangeData, ChangeType } from './change-types';

export interface PublishedChange {
  id: string;
  seq: string;
  type: ChangeType;
  personId: string | null;
  data: ChangeData;
  createdAt: Date;
}

/** The one key of the relay's advisory lock: one publisher at a time keeps the feed in order. */
const RELAY_LOCK_KEY = 0x6368616e; // 'chan'

@Injectable()
export class ChangesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: EntityManager, rows: Array<{ type: ChangeType; data: ChangeData }>): Promise<void> {
    if (rows.length === 0) return;
    await tx.query(
      `INSERT INTO change_events (type, person_id, data)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::jsonb[])`,
      [rows.map((r) => r.type), rows.map((r) => r.data.personId ?? null), rows.map((r) => JSON.stringify(r.data))],
    );
  }

  /**
   * Inside the relay's transaction: whether this process is the one publisher now (a
   * transaction-level advisory lock, so it goes with the commit), then the oldest
   * unpublished changes, locked.
   */
  async claimUnpublished(tx: EntityManager, limit: number): Promise<PublishedChange[] | null> {
    const [{ locked }]: Array<{ locked: boolean }> = await tx.query(`SELECT pg_try_advisory_xact_lock($1) AS locked`, [RELAY_LOCK_KEY]);
    if (!locked) return null;
    return tx.query(
      `SELECT id, seq::text AS seq, type, person_id AS "personId", data, created_at AS "createdAt" FROM change_events
       WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE`,
      [limit],
    );
  }

  async markPublished(tx: EntityManager, ids: string[]): Promise<void> {
    await tx.query(`UPDATE change_events SET published_at = clock_timestamp() WHERE id = ANY($1::uuid[])`, [ids]);
  }

  /** The feed's history beyond CHANGE_FEED_RETENTION_DAYS (published rows only: an unpublished one is still owed). */
  async purgePublished(olderThanDays: number): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM change_events WHERE published_at IS NOT NULL AND created_at < now() - make_interval(days => $1)`,
      [olderThanDays],
    );
    return count;
  }
}
