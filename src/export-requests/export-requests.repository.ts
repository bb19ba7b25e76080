import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CURSOR_MICROS_SQL, CURSOR_TIMESTAMP_SQL, KeysetPosition } from '../common/pagination';
import { ExportRequest, ExportRequestKind } from './export-request.entity';

/** How long an approved request may be downloaded. */
export const DOWNLOAD_WINDOW_MS = 3_600_000;

@Injectable()
export class ExportRequestsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(request: {
    kind: ExportRequestKind;
    parentId: string | null;
    filters: Record<string, string>;
    rows: number;
    requestedBy: string;
  }): Promise<ExportRequest> {
    const repo = this.dataSource.getRepository(ExportRequest);
    const { identifiers } = await repo.insert(request);
    return repo.findOneOrFail({ where: { id: (identifiers[0] as { id: string }).id } });
  }

  /** Newest first, keyset-paged; `status` narrows to one stored status. */
  page(limit: number, after?: KeysetPosition, status?: string): Promise<Array<ExportRequest & { cursorMicros: string }>> {
    const params: unknown[] = [limit];
    const conditions: string[] = [];
    if (status) {
      params.push(status);
      conditions.push(`r.status = $${params.length}`);
    }
    if (after) {
      params.push(after.createdAtMicros, after.id);
      conditions.push(`(r.created_at, r.id) < (${CURSOR_TIMESTAMP_SQL(`$${params.length - 1}`)}, $${params.length})`);
    }
    return this.dataSource.query(
      `SELECT r.id, r.kind, r.parent_id AS "parentId", r.filters, r.rows, r.status, r.requested_by AS "requestedBy",
              r.decided_by AS "decidedBy", r.decided_at AS "decidedAt", r.downloaded_at AS "downloadedAt", r.created_at AS "createdAt",
              ${CURSOR_MICROS_SQL('r.created_at')} AS "cursorMicros"
       FROM export_requests r ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY r.created_at DESC, r.id DESC LIMIT $1`,
      params,
    );
  }

  find(id: string, tx?: EntityManager): Promise<ExportRequest | null> {
    return (tx ?? this.dataSource.manager).getRepository(ExportRequest).findOne({ where: { id } });
  }

  async lock(tx: EntityManager, id: string): Promise<ExportRequest | null> {
    return tx.getRepository(ExportRequest).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async decide(tx: EntityManager, id: string, status: 'approved' | 'refused', decidedBy: string): Promise<void> {
    await tx.query(`UPDATE export_requests SET status = $2, decided_by = $3, decided_at = now() WHERE id = $1 AND status = 'pending'`, [
      id,
      status,
      decidedBy,
    ]);
  }

  /** The one download: approved, by its requester, within the hour. True to the one caller that got it. */
  async claimDownload(id: string, requestedBy: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE export_requests SET status = 'downloaded', downloaded_at = now()
       WHERE id = $1 AND requested_by = $2 AND status = 'approved' AND decided_at > now() - make_interval(secs => $3)`,
      [id, requestedBy, DOWNLOAD_WINDOW_MS / 1000],
    );
    return affected === 1;
  }

  async requesterEmail(id: string): Promise<string | null> {
    const rows: Array<{ email: string }> = await this.dataSource.query(
      `SELECT o.email FROM export_requests r JOIN organizers o ON o.id = r.requested_by WHERE r.id = $1 AND o.revoked_at IS NULL`,
      [id],
    );
    return rows[0]?.email ?? null;
  }
}
