import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

const BATCH = 5_000;

/** Deletes in batches, so a large backlog never holds long locks or one huge transaction. */
@Injectable()
export class RetentionRepository {
  constructor(private readonly dataSource: DataSource) {}

  private async deleteInBatches(sql: string, params: unknown[], stopping: () => boolean): Promise<number> {
    let total = 0;
    for (;;) {
      // Every statement here is `WITH gone AS (DELETE ... RETURNING ...) SELECT count(*) AS n FROM gone`.
      const [{ n: affected }]: Array<{ n: number }> = await this.dataSource.query(sql, [...params, BATCH]);
      total += affected;
      if (affected < BATCH || stopping()) return total;
    }
  }

  /** Rows of `table` matching `where` (`$1` is the cutoff), a batch at a time. */
  deleteExpired(table: string, where: string, cutoff: Date, stopping: () => boolean): Promise<number> {
    return this.deleteInBatches(
      `WITH gone AS (
         DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${where} LIMIT $2) RETURNING 1
       ) SELECT count(*)::int AS n FROM gone`,
      [cutoff],
      stopping,
    );
  }

  /**
   * A protected person's records matching `where` (`$1` the short cutoff), then at once the
   * people only they held (unconfirmed, not imported, nothing in `keepIf`): a second
   * statement, so it sees the records gone.
   */
  async deleteExpiredProtected(table: string, where: string, cutoff: Date, keepIf: string[], stopping: () => boolean): Promise<number> {
    let total = 0;
    for (;;) {
      const gone: Array<{ person_id: string | null }> = await this.dataSource.query(
        `WITH gone AS (DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE protected AND (${where}) LIMIT $2) RETURNING person_id)
         SELECT person_id FROM gone`,
        [cutoff, BATCH],
      );
      total += gone.length;
      const people = [...new Set(gone.map((g) => g.person_id).filter((id): id is string => id !== null))];
      if (people.length > 0) {
        await this.dataSource.query(
          `WITH gone AS (
             DELETE FROM people p WHERE p.id = ANY($1::uuid[]) AND p.confirmed_at IS NULL AND p.imported_at IS NULL
               AND NOT (${keepIf.map((c) => `(${c})`).join(' OR ')})
             RETURNING id
           ) DELETE FROM email_messages WHERE person_id IN (SELECT id FROM gone)`,
          [people],
        );
      }
      if (gone.length < BATCH || stopping()) return total;
    }
  }

  /** Tombstones of deleted people older than `days` (one statement: they are small rows). */
  async deleteOldTombstones(now: Date, days: number): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await this.dataSource.query(
      `WITH gone AS (DELETE FROM erased_people WHERE erased_at < $1::timestamptz - make_interval(days => $2) RETURNING 1)
       SELECT count(*)::int AS n FROM gone`,
      [now, days],
    );
    return n;
  }

  deleteExpiredTokens(now: Date, stopping: () => boolean): Promise<number> {
    return this.deleteInBatches(
      `WITH gone AS (
         DELETE FROM action_tokens WHERE id IN (SELECT id FROM action_tokens WHERE expires_at < $1 LIMIT $2) RETURNING 1
       ) SELECT count(*)::int AS n FROM gone`,
      [now],
      stopping,
    );
  }

  /**
   * People who exist only because of a request never confirmed: never confirmed an address,
   * not imported by an organizer, older than the cutoff, and nothing left that holds on to
   * them (`keepIf`: each an SQL condition on `p`, e.g. a subscription that is not pending, a
   * consent record, a remaining sign-up; features add theirs). Their email rows go too.
   */
  deleteAbandonedPeople(cutoff: Date, keepIf: string[], stopping: () => boolean): Promise<number> {
    return this.deleteInBatches(
      `WITH gone AS (
         DELETE FROM people WHERE id IN (
           SELECT p.id FROM people p
           WHERE p.confirmed_at IS NULL AND p.imported_at IS NULL AND p.created_at < $1 AND p.updated_at < $1
             AND NOT (${keepIf.map((c) => `(${c})`).join(' OR ')})
           LIMIT $2)
         RETURNING id
       ), mails AS (DELETE FROM email_messages WHERE person_id IN (SELECT id FROM gone))
       SELECT count(*)::int AS n FROM gone`,
      [cutoff],
      stopping,
    );
  }
}
