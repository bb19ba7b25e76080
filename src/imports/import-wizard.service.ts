import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { parse as parseSync } from 'csv-parse/sync';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { AuditService } from '../audit/audit.service';
import { SLUG_PATTERN } from '../common/validators';
import { TransactionRunner } from '../database/database.module';
import { CsvExportService } from '../exports/csv-export.service';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { OutboxRepository, PendingOutboxEntry } from '../outbox/outbox.repository';
import { IMPORTS_QUEUE, ImportJobName, importJobId } from '../queues/imports.queue';
import { ByteLimit, IMPORT_COLUMNS, IMPORT_MAX_BYTES, ImportColumn, ImportPeopleService, PreviewLine } from './import-people.service';
import { ImportJobRow, ImportJobsRepository } from './import-jobs.repository';
import { ImportsRepository } from './imports.repository';

/** Bytes per stored piece of an uploaded file. */
export const IMPORT_CHUNK_BYTES = 1024 * 1024;
const MAX_HEADER_COLUMNS = 100;
const PREVIEW_LINES = 20;

/** Header cells (lower-cased, letters and digits only) each field is guessed from when no mapping was remembered. */
const ALIASES: Record<ImportColumn, string[]> = {
  email: ['email', 'emailaddress', 'mail', 'courriel', 'adressemail', 'adresseemail'],
  givenName: ['givenname', 'firstname', 'first', 'forename', 'prenom', 'prénom'],
  familyName: ['familyname', 'lastname', 'last', 'surname', 'nom', 'nomdefamille'],
  country: ['country', 'countrycode', 'pays'],
  postalCode: ['postalcode', 'postcode', 'zip', 'zipcode', 'codepostal'],
  language: ['language', 'lang', 'langue', 'locale'],
  lists: ['lists', 'list', 'listes', 'liste'],
};

export interface ImportChoices {
  mapping: Array<string | null>;
  lists: string[];
  consentConfirmed: boolean;
  overwrite: boolean;
}

/** What the wizard's first step knows of an uploaded file: its header and a mapping to start from. */
export interface UploadedImport {
  job: ImportJobRow;
  /** The mapping remembered for this header, else one guessed from the header's names. */
  suggested: Array<ImportColumn | null>;
  remembered: boolean;
}

/** The header's identity for remembered mappings: its cells trimmed and lower-cased. */
export function headerKey(header: string[]): string {
  return header.map((h) => h.trim().toLowerCase()).join('\u001f');
}

export function guessMapping(header: string[]): Array<ImportColumn | null> {
  const used = new Set<ImportColumn>();
  return header.map((cell) => {
    const key = cell
      .normalize('NFC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]/gu, '');
    const field = IMPORT_COLUMNS.find((c) => !used.has(c) && ALIASES[c].includes(key));
    if (field) used.add(field);
    return field ?? null;
  });
}

/**
 * The console's import wizard, step by step: upload (the file goes to PostgreSQL in 1 MiB
 * pieces, never to disk, and only its header is read now), map the columns (the mapping is
 * remembered per header), preview the first lines with their problems, then start: the
 * choices and an outbox entry commit together and a worker runs the import
 * (`ImportJobRunner`) while the page shows its progress; the report of rejected lines
 * downloads as CSV like every export. The rules are the import's own
 * (`ImportPeopleService`), shared with `POST /api/v1/admin/imports/people` and the CLI.
 */
@Injectable()
export class ImportWizardService {
  constructor(
    private readonly jobs: ImportJobsRepository,
    private readonly imports: ImportsRepository,
    private readonly importer: ImportPeopleService,
    private readonly transactions: TransactionRunner,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly csv: CsvExportService,
    private readonly audit: AuditService,
  ) {}

  /** Stores an uploaded file (at most 50 MB) and reads its header line. */
  async upload(source: Readable, filename: string, organizerId: string | null): Promise<UploadedImport> {
    const limit = new ByteLimit(IMPORT_MAX_BYTES);
    source.on('error', (err) => limit.destroy(err));
    const name = cleanFilename(filename);
    const id = await this.transactions.run(async (tx) => {
      const importId = await this.jobs.create(tx, { organizerId, filename: name, header: [] });
      let seq = 0;
      let pending: Buffer[] = [];
      let pendingBytes = 0;
      const store = async (): Promise<void> => {
        if (pendingBytes === 0) return;
        await this.jobs.addChunk(tx, importId, seq++, Buffer.concat(pending));
        pending = [];
        pendingBytes = 0;
      };
      for await (const piece of source.pipe(limit) as AsyncIterable<Buffer>) {
        let rest = piece;
        while (rest.length > 0) {
          const take = rest.subarray(0, IMPORT_CHUNK_BYTES - pendingBytes);
          pending.push(take);
          pendingBytes += take.length;
          rest = rest.subarray(take.length);
          if (pendingBytes >= IMPORT_CHUNK_BYTES) await store();
        }
      }
      await store();
      if (limit.bytes === 0) throw new BadRequestException('The file is empty: a header line is required');
      const header = await this.readHeader(tx.query.bind(tx) as Query, importId);
      await this.jobs.setUploaded(tx, importId, limit.bytes, header);
      return importId;
    });
    const job = await this.get(id);
    const saved = await this.rememberedMapping(job.header);
    return { job, suggested: saved ?? guessMapping(job.header), remembered: saved !== null };
  }

  private async rememberedMapping(header: string[]): Promise<Array<ImportColumn | null> | null> {
    const saved = await this.jobs.savedMapping(headerKey(header));
    if (!saved || saved.length !== header.length) return null;
    const fields = saved.map((f) => (f === null ? null : isColumn(f) ? f : undefined));
    return fields.includes(undefined) ? null : (fields as Array<ImportColumn | null>);
  }

  async get(id: string): Promise<ImportJobRow> {
    const job = await this.jobs.find(id);
    if (!job) throw new NotFoundException('No such import');
    return job;
  }

  recent(limit = 20): Promise<ImportJobRow[]> {
    return this.jobs.recent(limit);
  }

  /** The mapping to show for a job: its own once started, else the remembered (said so) or guessed one. */
  async mappingFor(job: ImportJobRow): Promise<{ mapping: Array<ImportColumn | null>; remembered: boolean }> {
    if (job.mapping) return { mapping: job.mapping as Array<ImportColumn | null>, remembered: false };
    const saved = await this.rememberedMapping(job.header);
    return { mapping: saved ?? guessMapping(job.header), remembered: saved !== null };
  }

  /** Every list (organizer-side: private ones too), for the wizard's choice. */
  lists(): Promise<Array<{ slug: string; name: string }>> {
    return this.imports.lists();
  }

  /** A page of a job's rejected lines, in file order, after line `afterLine`. */
  rejections(id: string, afterLine: number, limit: number): Promise<Array<{ line: number; reason: string }>> {
    return this.jobs.rejections(id, afterLine, limit);
  }

  /** The first lines as the import would read them with this mapping, each with its problem. */
  async preview(id: string, choices: Pick<ImportChoices, 'mapping' | 'lists'>): Promise<PreviewLine[]> {
    const job = await this.get(id);
    const mapping = await this.checkChoices(job, choices);
    return this.importer.preview(this.fileStream(id), { columns: mapping, lists: choices.lists }, PREVIEW_LINES);
  }

  /** Starts the background import (once: 409 if it already started) and remembers the mapping for this header. */
  async start(req: AuthenticatedRequest | undefined, id: string, choices: ImportChoices): Promise<ImportJobRow> {
    const job = await this.get(id);
    const mapping = await this.checkChoices(job, choices);
    const entry: PendingOutboxEntry = {
      id: randomUUID(),
      queue: IMPORTS_QUEUE,
      jobName: ImportJobName.RunImport,
      jobId: importJobId(id, 0),
      payload: { importId: id },
    };
    const queued = await this.jobs.queue(id, { ...choices, mapping }, entry, (tx, entries) => this.outbox.add(tx, entries));
    if (!queued) throw new ConflictException('This import has already started');
    this.relay.dispatchSoon(entry);
    await this.jobs.saveMapping(headerKey(job.header), mapping);
    await this.audit.record(req, {
      action: 'people.import.start',
      targetType: 'person',
      targetId: id,
      details: {
        via: 'console',
        bytes: job.bytes,
        consent: choices.consentConfirmed ? 'confirmed' : 'none',
        lists: choices.lists,
        overwrite: choices.overwrite,
      },
    });
    return this.get(id);
  }

  /** The rejected lines as CSV (`line,reason`), streamed and audited like every export. */
  async reportCsv(req: AuthenticatedRequest, reply: FastifyReply, id: string): Promise<void> {
    await this.get(id);
    await this.csv.send(req, reply, {
      query: {
        columns: [
          { header: 'line', sql: 'r.line::text', type: 'token' },
          { header: 'reason', sql: 'r.reason' },
        ],
        from: 'FROM import_rejections r WHERE r.import_id = $1 ORDER BY r.line',
        params: [id],
      },
      filename: `import-${id}-rejected.csv`,
      bom: false,
      kind: 'import-report',
      action: 'export.import-report',
      targetType: 'import',
      targetId: id,
      filters: {},
    });
  }

  /** The stored file, read back one piece at a time (a million lines never sit in memory). */
  fileStream(id: string): Readable {
    const jobs = this.jobs;
    async function* pieces(): AsyncGenerator<Buffer> {
      for (let seq = 0; ; seq++) {
        const data = await jobs.chunk(id, seq);
        if (!data) return;
        yield data;
      }
    }
    return Readable.from(pieces(), { objectMode: false });
  }

  private async checkChoices(job: ImportJobRow, choices: Pick<ImportChoices, 'mapping' | 'lists'>): Promise<Array<ImportColumn | null>> {
    const { mapping } = choices;
    if (mapping.length !== job.header.length) throw new BadRequestException('Map every column of the file (or ignore it)');
    const fields = mapping.filter((f): f is string => f !== null && f !== '');
    if (fields.some((f) => !isColumn(f))) throw new BadRequestException('Unknown field in the mapping');
    if (!fields.includes('email')) throw new BadRequestException('One column must be mapped to the email address');
    if (new Set(fields).size !== fields.length) throw new BadRequestException('A field is mapped to two columns');
    const known = await this.imports.listIdsBySlug();
    const unknown = choices.lists.filter((slug) => !SLUG_PATTERN.test(slug) || !known.has(slug));
    if (unknown.length > 0) throw new BadRequestException('Unknown list');
    return mapping.map((f) => (f === null || f === '' ? null : (f as ImportColumn)));
  }

  private async readHeader(query: Query, importId: string): Promise<string[]> {
    // The header is in the first piece, unless a file's first line is over a MiB long.
    const pieces: Buffer[] = [];
    for (let seq = 0; seq < 2; seq++) {
      const rows = (await query(`SELECT data FROM import_chunks WHERE import_id = $1 AND seq = $2`, [importId, seq])) as Array<{
        data: Buffer;
      }>;
      if (rows.length === 0) break;
      pieces.push(rows[0].data);
    }
    let header: string[] | undefined;
    try {
      const records: string[][] = parseSync(Buffer.concat(pieces), { bom: true, to: 1, relax_column_count: true, skip_empty_lines: true });
      header = records[0];
    } catch {
      throw new BadRequestException('The header line is not valid CSV');
    }
    if (!header || header.every((h) => h.trim() === '')) throw new BadRequestException('The file has no header line');
    if (header.length > MAX_HEADER_COLUMNS) throw new BadRequestException(`A file may have at most ${MAX_HEADER_COLUMNS} columns`);
    return header.map((h) => h.slice(0, 200));
  }
}

type Query = (sql: string, params: unknown[]) => Promise<unknown>;

function isColumn(field: string): field is ImportColumn {
  return (IMPORT_COLUMNS as readonly string[]).includes(field);
}

/** A file name to show: its last path segment, without control characters, at most 200 characters. */
function cleanFilename(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200);
  return clean || 'upload.csv';
}
