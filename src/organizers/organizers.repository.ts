import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CURSOR_MICROS_SQL, CURSOR_TIMESTAMP_SQL, KeysetPosition } from '../common/pagination';
import { ApiKey } from './api-key.entity';
import { Organizer, Role } from './organizer.entity';

export interface AuthenticatedOrganizer {
  organizerId: string;
  apiKeyId: string;
  email: string;
  role: Role;
}

@Injectable()
export class OrganizersRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertOrganizer(tx: EntityManager, email: string, role: Role): Promise<Organizer> {
    const repo = tx.getRepository(Organizer);
    const { identifiers } = await repo.insert({ email, role });
    return repo.findOneOrFail({ where: { id: (identifiers[0] as { id: string }).id } });
  }

  async insertApiKey(tx: EntityManager, organizerId: string, keyHash: string, keyPrefix: string): Promise<void> {
    await tx.getRepository(ApiKey).insert({ organizerId, keyHash, keyPrefix });
  }

  async findActiveKey(keyHash: string): Promise<(AuthenticatedOrganizer & { lastUsedAt: Date | null }) | null> {
    const rows: Array<AuthenticatedOrganizer & { lastUsedAt: Date | null }> = await this.dataSource.query(
      `SELECT k.id AS "apiKeyId", k.last_used_at AS "lastUsedAt", o.id AS "organizerId", o.email, o.role
       FROM api_keys k JOIN organizers o ON o.id = k.organizer_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND o.revoked_at IS NULL`,
      [keyHash],
    );
    return rows[0] ?? null;
  }

  async touchKey(apiKeyId: string): Promise<void> {
    await this.dataSource.query(`UPDATE api_keys SET last_used_at = now() WHERE id = $1`, [apiKeyId]);
  }

  /** Keyset page ordered by creation, newest first. */
  async page(
    limit: number,
    after?: KeysetPosition,
  ): Promise<Array<Organizer & { keyPrefix: string | null; lastUsedAt: Date | null; cursorMicros: string }>> {
    const params: unknown[] = [limit];
    let where = '';
    if (after) {
      params.push(after.createdAtMicros, after.id);
      where = `WHERE (o.created_at, o.id) < (${CURSOR_TIMESTAMP_SQL('$2')}, $3)`;
    }
    return this.dataSource.query(
      `SELECT o.id, o.email, o.role, o.created_at AS "createdAt", o.revoked_at AS "revokedAt",
              ${CURSOR_MICROS_SQL('o.created_at')} AS "cursorMicros",
              k.key_prefix AS "keyPrefix", k.last_used_at AS "lastUsedAt"
       FROM organizers o
       LEFT JOIN LATERAL (SELECT key_prefix, last_used_at FROM api_keys WHERE organizer_id = o.id ORDER BY created_at DESC LIMIT 1) k ON true
       ${where}
       ORDER BY o.created_at DESC, o.id DESC LIMIT $1`,
      params,
    );
  }

  /** Revokes the organizer and every key; false when unknown or already revoked. */
  async revoke(id: string): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      const [, affected]: [unknown, number] = await tx.query(
        `UPDATE organizers SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
        [id],
      );
      await tx.query(`UPDATE api_keys SET revoked_at = now() WHERE organizer_id = $1 AND revoked_at IS NULL`, [id]);
      return affected === 1;
    });
  }

  async findById(id: string): Promise<Organizer | null> {
    return this.dataSource.getRepository(Organizer).findOne({ where: { id } });
  }

  /** Changes an active organizer's role; false when unknown, revoked or already of that role. */
  async changeRole(id: string, role: Role): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE organizers SET role = $2 WHERE id = $1 AND revoked_at IS NULL AND role <> $2`,
      [id, role],
    );
    return affected === 1;
  }

  async activeOrganizerExists(id: string, tx?: EntityManager): Promise<boolean> {
    const rows: unknown[] = await (tx ?? this.dataSource.manager).query(`SELECT 1 FROM organizers WHERE id = $1 AND revoked_at IS NULL`, [
      id,
    ]);
    return rows.length > 0;
  }

  /** Every key with its organizer, newest first (at most `limit`). */
  listKeys(limit: number): Promise<ApiKeyView[]> {
    return this.dataSource.query(
      `SELECT k.id, k.organizer_id AS "organizerId", o.email, o.role, k.key_prefix AS "keyPrefix", k.created_at AS "createdAt",
              k.last_used_at AS "lastUsedAt", k.revoked_at AS "revokedAt"
       FROM api_keys k JOIN organizers o ON o.id = k.organizer_id
       ORDER BY k.revoked_at IS NOT NULL, k.created_at DESC LIMIT $1`,
      [limit],
    );
  }

  async revokeKey(id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    );
    return affected === 1;
  }
}

export interface ApiKeyView {
  id: string;
  organizerId: string;
  email: string;
  role: Role;
  keyPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}
