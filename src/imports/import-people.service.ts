import { BadRequestException, Injectable, PayloadTooLargeException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { parse } from 'csv-parse';
import { randomUUID } from 'node:crypto';
import { Readable, Transform, TransformCallback } from 'node:stream';
import { AuditService } from '../audit/audit.service';
import { CanaryService } from '../canaries/canary.service';
import { AppConfig } from '../config/app-config';
import { normalizeEmail } from '../common/crypto.util';
import { canonicalLanguageTag } from '../common/languages';
import { SLUG_PATTERN } from '../common/validators';
import { TransactionRunner } from '../database/database.module';
import type { EntityManager } from 'typeorm';
import { SuppressionRepository } from '../mail/suppression.repository';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import type { ImportReport } from './dto/import.dto';
import { ImportRowDto } from './dto/import-row.dto';
import { ImportPerson, ImportsRepository } from './imports.repository';

export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;
const SUPPRESSED = 'the address is suppressed (erased, bounced or complained) and cannot be imported';
const BATCH_SIZE = 500;
const MAX_REPORTED_REJECTIONS = 10_000;
export const IMPORT_COLUMNS = ['email', 'givenName', 'familyName', 'country', 'postalCode', 'language', 'lists'] as const;
const COLUMNS = IMPORT_COLUMNS;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
type Column = ImportColumn;

/** Where a background import stands after a batch, written in that batch's transaction. */
export interface ImportCheckpoint {
  /** Every line up to this one is handled (written or rejected): a re-run starts after it. */
  line: number;
  bytesRead: number;
  imported: number;
  updated: number;
  rejectedCount: number;
  /** Rejections since the previous checkpoint (the hook stores them; they are then dropped from memory). */
  rejected: Array<{ line: number; reason: string }>;
}

/** One line of a preview: its cells by field and what is wrong with it, if anything. */
export interface PreviewLine {
  line: number;
  cells: Partial<Record<ImportColumn, string>>;
  problem: string | null;
}

export interface ImportOptions {
  /** Lists every line is added to, besides its own `lists` cell. */
  lists: string[];
  /** The organizer vouches that everyone in the file consented: subscribe them. */
  consentConfirmed: boolean;
  /** Non-empty cells also replace details of people who confirmed their address. */
  overwrite: boolean;
  /** Who runs it: the request (HTTP) or null (command line). */
  req?: AuthenticatedRequest;
  /** Who vouches and is audited when there is no request (a background import): the organizer's id. */
  organizerId?: string | null;
  via: 'api' | 'cli' | 'console';
  /** The import's id (consent records' `requestId`, the audit target); a new one by default. */
  importId?: string;
  /**
   * The fields the file's columns fill, by position (null: ignored), instead of reading
   * them from the header line (which is then skipped). The console wizard's mapping.
   */
  columns?: Array<ImportColumn | null>;
  /** Lines up to this one were handled by an earlier run: skipped (no write, no rejection). */
  resumeAfterLine?: number;
  /** The counts an earlier run reached (continued from, with `resumeAfterLine`). */
  resumeCounts?: { imported: number; updated: number; rejectedCount: number };
  /**
   * Called inside each batch's transaction, after its writes, with where the import stands:
   * a background import stores its progress and rejections there, so what is committed and
   * what the checkpoint says never disagree (a worker killed between two batches resumes exactly).
   */
  onCheckpoint?: (tx: EntityManager, checkpoint: ImportCheckpoint) => Promise<void>;
  /** Called after each batch with the bytes read so far (the CLI's progress bar). */
  onProgress?: (bytesRead: number) => void;
}

interface PendingRow {
  line: number;
  person: ImportPerson;
  listIds: string[];
}

/** Counts bytes going through; past the limit it fails with 413 (the body is never held whole). */
export class ByteLimit extends Transform {
  bytes = 0;
  constructor(private readonly limit: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limit) done(new PayloadTooLargeException(`An import may be at most ${this.limit / 1024 / 1024} MB`));
    else done(null, chunk);
  }
}

/**
 * People imports from CSV, shared by `POST /admin/imports/people` and the CLI. The file
 * is parsed as it streams in; each line is validated with the join form's rules and
 * written in batches (one transaction each), so a 50 MB file never sits in memory.
 * Lines are numbered as in the file, the header being line 1.
 */
@Injectable()
export class ImportPeopleService {
  constructor(
    private readonly imports: ImportsRepository,
    private readonly suppressions: SuppressionRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
    private readonly canaries: CanaryService,
  ) {}

  async run(source: Readable, options: ImportOptions): Promise<ImportReport> {
    const listIds = await this.imports.listIdsBySlug();
    // A line naming no list at all goes to the movement's default list, as a sign-up does.
    const defaultListId = await this.imports.defaultListId();
    const unknown = options.lists.filter((slug) => !listIds.has(slug));
    if (unknown.length > 0) throw new BadRequestException(`Unknown list: ${unknown.join(', ')}`);
    const importId = options.importId ?? randomUUID();
    const report: ImportReport = { imported: 0, updated: 0, rejected: [], rejectedCount: 0, ...options.resumeCounts };
    const resumeAfter = options.resumeAfterLine ?? 0;
    const reject = (line: number, reason: string): void => {
      if (line <= resumeAfter) return;
      report.rejectedCount++;
      if (report.rejected.length < MAX_REPORTED_REJECTIONS) report.rejected.push({ line, reason });
    };

    const limit = new ByteLimit(IMPORT_MAX_BYTES);
    const parser = parse({ info: true, bom: true, skip_records_with_error: true, relax_column_count: true, skip_empty_lines: true });
    source.on('error', (err) => limit.destroy(err));
    limit.on('error', (err) => parser.destroy(err));
    // The parser may report one broken line twice (a bad closing quote, then the quote left
    // open at the end): the line is rejected once.
    const malformed = new Set<number>();
    parser.on('skip', (err: Error & { lines?: number }) => {
      const line = err.lines ?? 0;
      if (malformed.has(line)) return;
      malformed.add(line);
      reject(line, 'malformed CSV (quotes)');
    });
    source.pipe(limit).pipe(parser);

    let header: Array<Column | null> | undefined;
    let batch: PendingRow[] = [];
    let handledLine = resumeAfter;
    const inBatch = new Set<string>();
    const flush = async (final = false): Promise<void> => {
      // A background import also checkpoints the rejections after the last batch.
      if (batch.length === 0 && !(final && options.onCheckpoint)) return;
      await this.writeBatch(batch, options, importId, report, reject, () => ({ line: handledLine, bytesRead: limit.bytes }));
      batch = [];
      inBatch.clear();
      options.onProgress?.(limit.bytes);
    };

    const logImport = (completed: boolean): Promise<void> =>
      this.audit.record(options.req ?? this.actorOf(options, importId), {
        action: 'people.import',
        targetType: 'person',
        targetId: importId,
        details: {
          via: options.via,
          completed,
          imported: report.imported,
          updated: report.updated,
          rejected: report.rejectedCount,
          consent: options.consentConfirmed ? 'confirmed' : 'none',
          lists: options.lists,
          overwrite: options.overwrite,
        },
      });

    try {
      for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        // A quoted cell may span lines: number the record by the line it starts on.
        const line = info.lines - record.reduce((n, cell) => n + (cell.includes('\n') ? cell.split('\n').length - 1 : 0), 0);
        if (!header) {
          header = options.columns ?? this.readHeader(record);
          continue;
        }
        if (line <= resumeAfter) continue;
        const row = this.readRow(header, record, listIds, defaultListId, options);
        if (typeof row === 'string') {
          reject(line, row);
          handledLine = line;
          continue;
        }
        // One statement cannot touch a row twice: a repeated address starts a new batch.
        if (inBatch.has(row.emailNormalized)) await flush();
        inBatch.add(row.emailNormalized);
        batch.push({ line, person: row, listIds: row.listIds });
        handledLine = line;
        if (batch.length >= BATCH_SIZE) await flush();
      }
      if (!header) throw new BadRequestException('The CSV is empty: a header line is required');
      await flush(true);
    } catch (err) {
      // Batches already written stay written: the log says so, with what they held.
      if (report.imported + report.updated > 0) await logImport(false).catch(() => undefined);
      throw err;
    }
    report.rejected.sort((a, b) => a.line - b.line);
    await logImport(true);
    return report;
  }

  /** A background import's audit actor: the organizer who started it, no request. */
  private actorOf(options: ImportOptions, importId: string): AuthenticatedRequest | undefined {
    if (!options.organizerId) return undefined;
    // The audit log reads `organizer`, `ip` and `id` of a request; a worker has only the organizer.
    return { organizer: { organizerId: options.organizerId, apiKeyId: null }, id: `import-${importId}` } as unknown as AuthenticatedRequest;
  }

  /**
   * The first `limit` lines after the header, each with what the import would say of it
   * (the same checks, the suppression list included), for the wizard's preview. Writes nothing.
   */
  async preview(source: Readable, options: { columns: Array<ImportColumn | null>; lists: string[] }, limit = 20): Promise<PreviewLine[]> {
    const listIds = await this.imports.listIdsBySlug();
    const defaultListId = await this.imports.defaultListId();
    const parser = parse({ info: true, bom: true, skip_records_with_error: true, relax_column_count: true, skip_empty_lines: true });
    const lines: PreviewLine[] = [];
    const rows: Array<{ at: number; emailNormalized: string }> = [];
    parser.on('skip', (err: Error & { lines?: number }) => {
      if (lines.length < limit) lines.push({ line: err.lines ?? 0, cells: {}, problem: 'malformed CSV (quotes)' });
    });
    source.on('error', (err) => parser.destroy(err));
    source.pipe(parser);
    let first = true;
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (first) {
        first = false;
        continue;
      }
      if (lines.length >= limit) break;
      const line = info.lines - record.reduce((n, cell) => n + (cell.includes('\n') ? cell.split('\n').length - 1 : 0), 0);
      const cells: Partial<Record<ImportColumn, string>> = {};
      options.columns.forEach((column, i) => {
        if (column && record[i] !== undefined && record[i].trim() !== '') cells[column] = record[i].trim();
      });
      const row = this.readRow(options.columns, record, listIds, defaultListId, { lists: options.lists });
      if (typeof row === 'string') lines.push({ line, cells, problem: row });
      else {
        rows.push({ at: lines.length, emailNormalized: row.emailNormalized });
        lines.push({ line, cells, problem: null });
      }
    }
    source.unpipe(parser);
    parser.destroy();
    // Under the previous APP_SECRET too while a rotation is under way, as the import itself.
    const suppressed = rows.length ? await this.suppressions.suppressedAddresses(rows.map((r) => r.emailNormalized)) : new Set<string>();
    rows.forEach((r) => {
      if (suppressed.has(r.emailNormalized)) lines[r.at].problem = SUPPRESSED;
    });
    return lines;
  }

  private readHeader(record: string[]): Column[] {
    const byName = new Map(COLUMNS.map((c) => [c.toLowerCase(), c]));
    const header = record.map((cell) => {
      const column = byName.get(cell.trim().toLowerCase());
      if (!column) throw new BadRequestException(`Unknown column in the header line; expected some of ${COLUMNS.join(', ')}`);
      return column;
    });
    if (!header.includes('email')) throw new BadRequestException('The header line must have an email column');
    if (new Set(header).size !== header.length) throw new BadRequestException('A column appears twice in the header line');
    return header;
  }

  /** The row to write, or why it is rejected (never echoing the cell's content). */
  private readRow(
    header: Array<Column | null>,
    record: string[],
    listIds: Map<string, string>,
    defaultListId: string | null,
    options: Pick<ImportOptions, 'lists'>,
  ): (ImportPerson & { listIds: string[] }) | string {
    if (record.length !== header.length) return `expected ${header.length} fields, found ${record.length}`;
    const cells: Partial<Record<Column, string>> = {};
    header.forEach((column, i) => {
      if (!column) return;
      const value = record[i].trim();
      if (value !== '') cells[column] = value;
    });
    const { lists: listCell, ...fields } = cells;
    const dto = plainToInstance(ImportRowDto, fields);
    const errors = validateSync(dto, { stopAtFirstError: true, forbidUnknownValues: true });
    if (errors.length > 0) {
      if (!fields.email) return 'email is required';
      return Object.values(errors[0].constraints ?? {})[0] ?? `${errors[0].property} is not valid`;
    }
    const slugs = [...new Set([...options.lists, ...(listCell ? listCell.split(/[\s;|]+/).filter(Boolean) : [])])];
    const ids: string[] = [];
    for (const slug of slugs) {
      const id = SLUG_PATTERN.test(slug) ? listIds.get(slug) : undefined;
      if (!id) return SLUG_PATTERN.test(slug) ? `unknown list "${slug}"` : 'lists must hold list slugs separated by spaces, ; or |';
      ids.push(id);
    }
    if (slugs.length === 0 && defaultListId) ids.push(defaultListId);
    return {
      email: dto.email,
      emailNormalized: normalizeEmail(dto.email),
      givenName: dto.givenName ?? null,
      familyName: dto.familyName ?? null,
      country: dto.country ?? null,
      postalCode: this.config.isProtected(dto.country) ? null : (dto.postalCode ?? null),
      // As the public forms store it: `EN` and `fa-ir` become `en` and `fa-IR`.
      language: dto.language ? canonicalLanguageTag(dto.language) : null,
      listIds: ids,
    };
  }

  private async writeBatch(
    batch: PendingRow[],
    options: ImportOptions,
    importId: string,
    report: ImportReport,
    reject: (line: number, reason: string) => void,
    position: () => { line: number; bytesRead: number },
  ): Promise<void> {
    // An erased, bouncing or complaining address is not brought back by a spreadsheet.
    // Under the previous APP_SECRET too while a rotation is under way (an erased address is re-keyed only when seen).
    const suppressed = await this.suppressions.suppressedAddresses(batch.map((r) => r.person.emailNormalized));
    const rows = batch.filter((r) => {
      if (!suppressed.has(r.person.emailNormalized)) return true;
      reject(r.line, SUPPRESSED);
      return false;
    });
    // A leaked export's canary address in an organizer's file: the admins hear of it.
    for (const r of batch) {
      if (this.canaries.isCanaryAddress(r.person.emailNormalized)) {
        await this.canaries.sightedNow(r.person.emailNormalized, 'import', `${importId}:${r.line}`);
      }
    }
    if (rows.length === 0 && !options.onCheckpoint) return;
    const counts = await this.transactions.run(async (tx) => {
      const c = { imported: report.imported, updated: report.updated };
      if (rows.length > 0) await this.writeRows(tx, rows, options, importId, c);
      if (options.onCheckpoint) {
        await options.onCheckpoint(tx, { ...position(), ...c, rejectedCount: report.rejectedCount, rejected: report.rejected });
      }
      return c;
    });
    // Counted once committed; a checkpointed run's rejections are stored and leave memory.
    report.imported = counts.imported;
    report.updated = counts.updated;
    if (options.onCheckpoint) report.rejected = [];
  }

  private async writeRows(
    tx: EntityManager,
    rows: PendingRow[],
    options: ImportOptions,
    importId: string,
    report: { imported: number; updated: number },
  ): Promise<void> {
    const written = await this.imports.upsertPeople(
      tx,
      rows.map((r) => r.person),
      options.overwrite,
    );
    const idOf = new Map(written.map((w) => [w.emailNormalized, w.id]));
    // People of a protected country keep no postal code and are marked (docs/safety.md).
    await this.imports.protectByCountry(
      tx,
      written.map((w) => w.id),
      this.config.protectedCountries,
    );
    for (const w of written) {
      if (w.inserted) report.imported++;
      else report.updated++;
    }
    if (!options.consentConfirmed) return;
    const pairs = rows.flatMap((r) => r.listIds.map((listId) => ({ personId: idOf.get(r.person.emailNormalized) as string, listId })));
    await this.imports.subscribeWithImportedConsent(tx, pairs, {
      importId,
      organizerId: options.organizerId ?? options.req?.organizer?.organizerId ?? null,
      form: options.via === 'cli' ? 'cli-import' : options.via === 'console' ? 'console-import' : 'admin-import',
    });
  }
}
