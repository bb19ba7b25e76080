import { ForbiddenException, Injectable, Logger, ServiceUnavailableException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { AuditService } from '../audit/audit.service';
import { withCanaries } from '../canaries/canary-rows';
import { CanaryService } from '../canaries/canary.service';
import { AppConfig } from '../config/app-config';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { coalesce } from './coalesce';
import { CsvExportRepository, CsvQuery } from './csv-export.repository';

const BOM = '\uFEFF';
/** Bytes per write to the client (see `coalesce`). */
const WRITE_BYTES = 64 * 1024;

export interface CsvExport {
  query: CsvQuery;
  /** File name offered to the browser (ASCII, e.g. `people.csv`). */
  filename: string;
  /** A UTF-8 byte order mark first, so Excel reads Arabic and Persian names as UTF-8. */
  bom: boolean;
  /** `export.people`, `export.signatures`... */
  action: string;
  /**
   * What is exported. `people`, `signatures` and `rsvps` are bulk personal data: the four-eyes
   * rule and the canary rows apply to them only (an import's rejection report is neither).
   */
  kind: string;
  targetType?: string;
  targetId?: string;
  /** Filters as given, minus personal data: an email filter is recorded as present, not by value. */
  filters: Record<string, unknown>;
}

/** The exports of people's records in bulk (CONTRACT section 7). */
const BULK_PERSONAL_KINDS = new Set(['people', 'signatures', 'rsvps']);

/** A header cell per RFC 4180 (headers are plain identifiers, quoted anyway if ever not). */
function headerRow(headers: string[]): string {
  return `${headers.map((h) => (/^[A-Za-z0-9_]+$/.test(h) ? h : `"${h.replace(/"/g, '""')}"`)).join(',')}\n`;
}

/**
 * Streams a CSV export straight from PostgreSQL to the organizer: headers and the header row
 * leave at once, rows follow as the client reads them (back-pressure all the way to the
 * server), so memory stays flat whatever the row count. The audit record (who, filters,
 * rows) is written before the last byte leaves, so a finished download is always logged;
 * an interrupted one is logged as incomplete.
 */
@Injectable()
export class CsvExportService {
  private readonly logger = new Logger(CsvExportService.name);

  constructor(
    private readonly exports: CsvExportRepository,
    private readonly audit: AuditService,
    private readonly canaries: CanaryService,
    private readonly config: AppConfig,
  ) {}

  /** Rows the export would hold now (canary rows are not rows). */
  count(query: CsvQuery): Promise<number> {
    return this.exports.count(query);
  }

  /**
   * Four eyes (docs/safety.md): an export of more than EXPORT_APPROVAL_MIN_ROWS rows is
   * refused unless it is an approved request's download. Counted no further than the
   * threshold, before anything is sent.
   */
  private async checkApproval(req: AuthenticatedRequest, spec: CsvExport, approved: boolean): Promise<void> {
    const threshold = this.config.exportApprovalMinRows;
    if (approved || threshold === 0 || !BULK_PERSONAL_KINDS.has(spec.kind)) return;
    if ((await this.exports.count(spec.query, threshold + 1)) <= threshold) return;
    await this.audit.record(req, { action: `${spec.action}.refused`, targetType: spec.targetType, targetId: spec.targetId });
    throw new ForbiddenException(
      `This export holds more than ${threshold} rows and needs approval by another organizer: POST /api/v1/admin/export-requests`,
    );
  }

  async send(req: AuthenticatedRequest, reply: FastifyReply, spec: CsvExport, options: { approved?: boolean } = {}): Promise<void> {
    await this.checkApproval(req, spec, options.approved === true);
    const canaries = !BULK_PERSONAL_KINDS.has(spec.kind)
      ? null
      : await this.canaries.forExport({
          kind: spec.kind,
          headers: spec.query.columns.map((c) => c.header),
          filters: spec.filters,
          organizerId: req.organizer?.organizerId ?? null,
        });
    let copy;
    try {
      copy = await this.exports.copyOut(spec.query);
    } catch (err) {
      this.logger.warn(`export ${spec.action} could not start: ${(err as Error).message}`);
      throw new ServiceUnavailableException('Too many exports are running; try again in a minute');
    }
    const { stream, done } = copy;
    const release = (err?: Error): void => copy.release(err);
    const record = (details: Record<string, unknown>): Promise<void> =>
      this.audit.record(req, {
        id: canaries?.auditId,
        action: spec.action,
        targetType: spec.targetType,
        targetId: spec.targetId,
        details: {
          filters: auditableFilters(spec.filters),
          bom: spec.bom,
          ...details,
          // The canary rows it held (their addresses are made up; the trace finds the entry by them).
          ...(canaries ? { canaries: canaries.rows.emails } : {}),
        },
      });

    async function* body(): AsyncGenerator<Buffer | string> {
      let finished = false;
      try {
        yield `${spec.bom ? BOM : ''}${headerRow(spec.query.columns.map((c) => c.header))}`;
        yield* canaries ? withCanaries(coalesce(stream, WRITE_BYTES), canaries.rows) : coalesce(stream, WRITE_BYTES);
        const rows = await done;
        release();
        finished = true;
        await record({ rows, completed: true });
      } finally {
        if (!finished) {
          // The client went away or the COPY failed: close the connection (it is mid-COPY).
          stream.destroy();
          release(new Error('export interrupted'));
          await record({ completed: false }).catch(() => undefined);
        }
      }
    }

    await reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${spec.filename}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(Readable.from(body(), { objectMode: false, highWaterMark: 64 * 1024 }));
  }
}

/** Filters for the audit log: values of everything but the email and name filters, which are only noted as present. */
export function auditableFilters(filters: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filters)) {
    if (value === undefined || key === 'limit' || key === 'cursor' || key === 'bom') continue;
    // A name prefix is personal data too.
    out[key] = key === 'email' || key === 'name' ? '(given)' : value;
  }
  return out;
}
