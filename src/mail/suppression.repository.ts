import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { keyedHash, normalizeEmail } from '../common/crypto.util';

export type SuppressionReason = 'bounce' | 'complaint' | 'erasure' | 'manual';

/** Which secret keyed a hash, without revealing it: a short keyed digest of a constant. */
export function keyIdOf(secret: string): string {
  return keyedHash(secret, 'key-id', 'suppression').slice(0, 16);
}

@Injectable()
export class SuppressionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  hashOf(email: string): string {
    return this.hashWith(this.config.APP_SECRET, email);
  }

  hashWith(secret: string, email: string): string {
    return keyedHash(secret, 'suppression', normalizeEmail(email));
  }

  /** The hash under APP_SECRET_PREVIOUS while a rotation is under way (docs/safety.md), else null. */
  private previousHashOf(email: string): string | null {
    const previous = this.config.APP_SECRET_PREVIOUS;
    return previous ? this.hashWith(previous, email) : null;
  }

  /**
   * `tx`: inside a transaction, ask on its connection. Asking on another would make each
   * transaction need two connections at once, which deadlocks a small pool (a pooler in
   * transaction mode) once every connection is held by a transaction waiting for a second.
   */
  async isSuppressed(email: string, tx?: EntityManager): Promise<boolean> {
    const manager = tx ?? this.dataSource.manager;
    const current = this.hashOf(email);
    const previous = this.previousHashOf(email);
    if (!previous) {
      const rows: unknown[] = await manager.query(`SELECT 1 FROM suppressions WHERE email_hash = $1`, [current]);
      return rows.length > 0;
    }
    const rows: Array<{ email_hash: string }> = await manager.query(
      `SELECT email_hash FROM suppressions WHERE email_hash = ANY($1::text[])`,
      [[current, previous]],
    );
    // Seen under the old key only (an erased address, during a rotation): re-key it now that it is known.
    if (rows.length > 0 && !rows.some((r) => r.email_hash === current)) {
      await manager.query(
        `WITH gone AS (DELETE FROM suppressions WHERE email_hash = $1 RETURNING reason, created_at)
         INSERT INTO suppressions (email_hash, reason, created_at, key_id) SELECT $2, reason, created_at, $3 FROM gone ON CONFLICT DO NOTHING`,
        [previous, current, keyIdOf(this.config.APP_SECRET)],
      );
    }
    return rows.length > 0;
  }

  /**
   * Which of these addresses are suppressed, under APP_SECRET or, during a rotation, the
   * previous secret (an import of addresses the platform may no longer know).
   */
  async suppressedAddresses(emails: string[]): Promise<Set<string>> {
    const hashes = new Map<string, string>();
    for (const email of emails) {
      hashes.set(this.hashOf(email), email);
      const previous = this.previousHashOf(email);
      if (previous) hashes.set(previous, email);
    }
    const found = await this.suppressedHashes([...hashes.keys()]);
    return new Set([...found].map((hash) => hashes.get(hash) as string));
  }

  /** Which of these hashes are suppressed (one query for a whole batch of recipients). */
  async suppressedHashes(hashes: string[]): Promise<Set<string>> {
    if (hashes.length === 0) return new Set();
    const rows: Array<{ email_hash: string }> = await this.dataSource.query(
      `SELECT email_hash FROM suppressions WHERE email_hash = ANY($1)`,
      [hashes],
    );
    return new Set(rows.map((r) => r.email_hash));
  }

  /** Inside the caller's transaction when given one (an erasure and its suppression commit together). */
  async add(email: string, reason: SuppressionReason, tx?: EntityManager): Promise<void> {
    await (tx ?? this.dataSource.manager).query(
      `INSERT INTO suppressions (email_hash, reason, key_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [this.hashOf(email), reason, keyIdOf(this.config.APP_SECRET)],
    );
  }
}
