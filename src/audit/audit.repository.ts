import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { AuditEntry } from './audit-entry.entity';

export type NewAuditEntry = Pick<
  AuditEntry,
  'organizerId' | 'apiKeyId' | 'action' | 'targetType' | 'targetId' | 'details' | 'ip' | 'requestId'
>;

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
}
