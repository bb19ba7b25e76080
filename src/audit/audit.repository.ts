import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CURSOR_MICROS_SQL, CURSOR_TIMESTAMP_SQL, KeysetPosition } from '../common/pagination';
import type { AuditEntry } from './audit-entry.entity';

export type NewAuditEntry = Pick<
  AuditEntry,
  'organizerId' | 'apiKeyId' | 'action' | 'targetType' | 'targetId' | 'details' | 'ip' | 'requestId'
>;

/** Who and when, besides the action: an organizer's entries, from a moment (inclusive) until another (exclusive). */
export interface AuditFilter {
  organizerId?: string;
  from?: Date;
  until?: Date;
}

@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inside the caller's transaction when given one, so the action and its record commit together. */
  async append(entry: NewAuditEntry, tx?: EntityManager): Promise<void> {
    await (tx ?? this.dataSource.manager).query(
      `INSERT INTO audit_log (organizer_id, api_key_id, action, target_type, target_id, details, ip, request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        entry.organizerId,
        entry.apiKeyId,
        entry.action,
        entry.targetType,
        entry.targetId,
        JSON.stringify(entry.details),
        entry.ip,
        entry.requestId,
      ],
    );
  }

  /** Keyset page, newest first; `action` narrows to one action or, ending in `.`, to a family (`export.`). */
  page(
    limit: number,
    after?: KeysetPosition,
    action?: string,
    filter: AuditFilter = {},
  ): Promise<Array<AuditEntry & { cursorMicros: string }>> {
    const params: unknown[] = [limit];
    const conditions: string[] = [];
    if (filter.organizerId) {
      params.push(filter.organizerId);
      conditions.push(`a.organizer_id = $${params.length}`);
    }
    if (filter.from) {
      params.push(filter.from);
      conditions.push(`a.created_at >= $${params.length}`);
    }
    if (filter.until) {
      params.push(filter.until);
      conditions.push(`a.created_at < $${params.length}`);
    }
    if (action) {
      params.push(action.endsWith('.') ? `${action}%` : action);
      conditions.push(`a.action ${action.endsWith('.') ? 'LIKE' : '='} $${params.length}`);
    }
    if (after) {
      params.push(after.createdAtMicros, after.id);
      conditions.push(`(a.created_at, a.id) < (${CURSOR_TIMESTAMP_SQL(`$${params.length - 1}`)}, $${params.length})`);
    }
    return this.dataSource.query(
      `SELECT a.id, a.created_at AS "createdAt", a.organizer_id AS "organizerId", a.api_key_id AS "apiKeyId", a.action,
              a.target_type AS "targetType", a.target_id AS "targetId", a.details, a.ip, a.request_id AS "requestId",
              ${CURSOR_MICROS_SQL('a.created_at')} AS "cursorMicros"
       FROM audit_log a ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY a.created_at DESC, a.id DESC LIMIT $1`,
      params,
    );
  }
}
