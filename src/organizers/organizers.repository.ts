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
}
