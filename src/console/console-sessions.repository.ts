import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '../organizers/organizer.entity';

export interface LiveSessionRow {
  idHash: string;
  organizerId: string;
  email: string;
  role: Role;
  language: string;
  lastSeenAt: Date;
}

@Injectable()
export class ConsoleSessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(
    tx: EntityManager | undefined,
    row: { idHash: string; organizerId: string; role: Role; language: string; expiresAt: Date },
  ): Promise<void> {
    await (tx ?? this.dataSource.manager).query(
      `INSERT INTO console_sessions (id_hash, organizer_id, role, language, last_seen_at, expires_at)
       VALUES ($1, $2, $3, $4, now(), $5)`,
      [row.idHash, row.organizerId, row.role, row.language, row.expiresAt],
    );
  }

  /**
   * The session, when it is still one: not past its absolute end nor idle too long, its
   * organizer not revoked and still of the role it signed in with. One indexed lookup per
   * console request, which is what makes revoking or changing a role end sessions at once
   * whichever process (API, CLI, console) did it.
   */
  async findLive(idHash: string, idleMinutes: number): Promise<LiveSessionRow | null> {
    const rows: LiveSessionRow[] = await this.dataSource.query(
      `SELECT s.id_hash AS "idHash", s.organizer_id AS "organizerId", o.email, s.role, s.language, s.last_seen_at AS "lastSeenAt"
       FROM console_sessions s JOIN organizers o ON o.id = s.organizer_id
       WHERE s.id_hash = $1 AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(mins => $2)
         AND o.revoked_at IS NULL AND o.role = s.role`,
      [idHash, idleMinutes],
    );
    return rows[0] ?? null;
  }

  async touch(idHash: string): Promise<void> {
    await this.dataSource.query(`UPDATE console_sessions SET last_seen_at = now() WHERE id_hash = $1`, [idHash]);
  }

  /** The session's language, and the organizer's choice for next time (console_accounts, src/console-auth's table). */
  async setLanguage(idHash: string, language: string): Promise<void> {
    await this.dataSource.query(
      `WITH s AS (UPDATE console_sessions SET language = $2 WHERE id_hash = $1 RETURNING organizer_id)
       UPDATE console_accounts SET language = $2 WHERE organizer_id IN (SELECT organizer_id FROM s)`,
      [idHash, language],
    );
  }

  async delete(idHash: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM console_sessions WHERE id_hash = $1`, [idHash]);
  }

  async deleteForOrganizer(organizerId: string, tx?: EntityManager): Promise<number> {
    const [, affected]: [unknown, number] = await (tx ?? this.dataSource.manager).query(
      `DELETE FROM console_sessions WHERE organizer_id = $1`,
      [organizerId],
    );
    return affected;
  }

  /** Ended sessions are useless rows: dropped when someone signs in, a few at a time. */
  async deleteEnded(idleMinutes: number): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM console_sessions WHERE id_hash IN (
         SELECT id_hash FROM console_sessions
         WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(mins => $1) LIMIT 100)`,
      [idleMinutes],
    );
  }
}
