import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { keyedHash, normalizeEmail } from '../common/crypto.util';

export type SuppressionReason = 'bounce' | 'complaint' | 'erasure' | 'manual';

@Injectable()
export class SuppressionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  hashOf(email: string): string {
    return keyedHash(this.config.APP_SECRET, 'suppression', normalizeEmail(email));
  }

  /**
   * `tx`: inside a transaction, ask on its connection. Asking on another would make each
   * transaction need two connections at once, which deadlocks a small pool (a pooler in
   * transaction mode) once every connection is held by a transaction waiting for a second.
   */
  async isSuppressed(email: string, tx?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (tx ?? this.dataSource.manager).query(`SELECT 1 FROM suppressions WHERE email_hash = $1`, [
      this.hashOf(email),
    ]);
    return rows.length > 0;
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
    await (tx ?? this.dataSource.manager).query(`INSERT INTO suppressions (email_hash, reason) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [
      this.hashOf(email),
      reason,
    ]);
  }
}
