import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The panic and hygiene commands' database work (docs/safety.md). */
@Injectable()
export class SecurityRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Revokes every API key not of `exceptOrganizerId`; returns how many. */
  async revokeApiKeys(tx: EntityManager, exceptOrganizerId: string): Promise<number> {
    const [, affected]: [unknown, number] = await tx.query(
      `UPDATE api_keys SET revoked_at = now() WHERE revoked_at IS NULL AND organizer_id <> $1`,
      [exceptOrganizerId],
    );
    return affected;
  }

  /** Every console session, the new admin's none (it has only an API key). */
  async endConsoleSessions(tx: EntityManager): Promise<number> {
    const [, affected]: [unknown, number] = await tx.query(`DELETE FROM console_sessions`);
    return affected;
  }

  /** Suppression rows of one key id (null: made before the first rotation). */
  async countSuppressions(keyId: string | null): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM suppressions WHERE key_id IS NOT DISTINCT FROM $1`,
      [keyId],
    );
    return rows[0].n;
  }

  async tagLegacySuppressions(keyId: string): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(`UPDATE suppressions SET key_id = $1 WHERE key_id IS NULL`, [
      keyId,
    ]);
    return affected;
  }

  /** Every address the platform still knows (people, RSVPs, sign-ups), normalised, a page at a time after `after`. */
  knownAddresses(after: string, limit: number): Promise<Array<{ email: string }>> {
    return this.dataSource.query(
      `SELECT email FROM (
         SELECT email_normalized AS email FROM people
         UNION SELECT lower(trim(email)) FROM rsvps WHERE email IS NOT NULL
         UNION SELECT email_normalized FROM signups
       ) a WHERE email > $1 ORDER BY email LIMIT $2`,
      [after, limit],
    );
  }

  /**
   * Re-keys the suppressions of these (old hash → new hash) pairs: the new row keeps the
   * reason and date, the old one goes. Returns how many were re-keyed.
   */
  async rekey(pairs: Array<{ oldHash: string; newHash: string }>, oldKeyId: string, newKeyId: string): Promise<number> {
    if (pairs.length === 0) return 0;
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `WITH pair AS (SELECT * FROM unnest($1::text[], $2::text[]) AS t(old_hash, new_hash)),
       gone AS (
         DELETE FROM suppressions s USING pair WHERE s.email_hash = pair.old_hash AND s.key_id = $3
         RETURNING pair.new_hash, s.reason, s.created_at
       ), added AS (
         INSERT INTO suppressions (email_hash, reason, created_at, key_id) SELECT new_hash, reason, created_at, $4 FROM gone
         ON CONFLICT (email_hash) DO NOTHING RETURNING 1
       ) SELECT count(*)::int AS n FROM gone`,
      [pairs.map((p) => p.oldHash), pairs.map((p) => p.newHash), oldKeyId, newKeyId],
    );
    return rows[0].n;
  }
}
