import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { EntityManager } from 'typeorm';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { keyedHash } from '../common/crypto.util';
import { AppConfig } from '../config/app-config';
import type { AuditEntry } from './audit-entry.entity';
import { AuditFilter, AuditRepository } from './audit.repository';

/**
 * What the audit log reads of a request: who (the organizer and key the auth guard put on
 * it), from where (hashed) and which request. The organizers' authenticated request is one.
 */
export type AuditedRequest = FastifyRequest & { organizer?: { organizerId: string; apiKeyId: string | null } };

export interface AuditEvent {
  /** Dotted verb, e.g. `petition.update`, `export.people`, `person.erase`. */
  action: string;
  targetType?: string;
  targetId?: string;
  /** Filters, counts, changed field names: never a supporter's email, name or other personal data. */
  details?: Record<string, unknown>;
}

/** Writes the audit log. Routes use `@Audited()`; flows that know more (exports' row counts) call `record`. */
@Injectable()
export class AuditService {
  constructor(
    private readonly audit: AuditRepository,
    private readonly config: AppConfig,
  ) {}

  async record(req: AuditedRequest | undefined, event: AuditEvent, tx?: EntityManager): Promise<void> {
    await this.audit.append(
      {
        organizerId: req?.organizer?.organizerId ?? null,
        apiKeyId: req?.organizer?.apiKeyId ?? null,
        action: event.action,
        targetType: event.targetType ?? null,
        targetId: event.targetId ?? null,
        details: event.details ?? {},
        // A keyed hash, like every other stored address ("no raw IP address is stored
        // anywhere"): enough to tell whether two actions came from one address, or from a
        // given one, without keeping the address itself.
        ip: req?.ip ? keyedHash(this.config.APP_SECRET, 'audit-ip', req.ip) : null,
        requestId: req ? String(req.id) : null,
      },
      tx,
    );
  }

  /** The log, newest first, for admins. */
  async list(limit: number, cursor?: string, action?: string, filter: AuditFilter = {}): Promise<Page<AuditEntry>> {
    const rows = await this.audit.page(limit, decodeCursor(cursor), action, filter);
    return toPage(rows, limit, (row) => row);
  }
}
