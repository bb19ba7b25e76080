import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  GoneException,
  Injectable,
  NotFoundException,
  OnModuleInit,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { RecordsExport } from '../actions/records-export';
import { AuditService } from '../audit/audit.service';
import { CanaryService } from '../canaries/canary.service';
import { StoredEmailService } from '../mail/stored-email.service';
import { Clock } from '../common/clock';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { TransactionRunner } from '../database/database.module';
import { RSVP_STATUSES } from '../events/rsvp.entity';
import { CsvExport, CsvExportService } from '../exports/csv-export.service';
import { EmailMessage } from '../mail/email-message.entity';
import { OutgoingEmail } from '../mail/mailer.service';
import { MessageComposer, MessageComposerRegistry } from '../mail/message-composer.registry';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PeopleService } from '../people/people.service';
import { SIGNATURE_STATUSES } from '../petitions/signature.entity';
import { CreateExportRequestDto, ExportRequestResponse, TraceResponse } from './dto/export-request.dto';
import { ExportRequest, ExportRequestStatus } from './export-request.entity';
import { DOWNLOAD_WINDOW_MS, ExportRequestsRepository } from './export-requests.repository';

export const EXPORT_DECISION_EMAIL = 'export-decision';

/** Which filters each kind takes, and the statuses it knows. */
const KIND_FILTERS = {
  people: { filters: ['list', 'country', 'language'], statuses: [] as readonly string[] },
  signatures: { filters: ['country', 'language', 'status'], statuses: SIGNATURE_STATUSES as readonly string[] },
  rsvps: { filters: ['status'], statuses: RSVP_STATUSES as readonly string[] },
};

/**
 * Four-eyes exports (docs/safety.md): a request records what would be exported and how many
 * rows; another organizer or an admin, never the requester, approves or refuses; the
 * requester is emailed and downloads it once within the hour. Every step is audited.
 */
@Injectable()
export class ExportRequestsService implements MessageComposer, OnModuleInit {
  constructor(
    private readonly requests: ExportRequestsRepository,
    private readonly people: PeopleService,
    private readonly records: RecordsExport,
    private readonly csv: CsvExportService,
    private readonly audit: AuditService,
    private readonly transactions: TransactionRunner,
    private readonly organizerMail: StoredEmailService,
    private readonly composers: MessageComposerRegistry,
    private readonly canaries: CanaryService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.composers.register(EXPORT_DECISION_EMAIL, this);
  }

  async create(req: AuthenticatedRequest, dto: CreateExportRequestDto): Promise<ExportRequestResponse> {
    const filters = this.filtersOf(dto);
    const parentId = dto.kind === 'signatures' ? dto.petitionId! : dto.kind === 'rsvps' ? dto.eventId! : null;
    const spec = await this.specOf({ kind: dto.kind, parentId, filters });
    const rows = await this.csv.count(spec.query);
    const request = await this.requests.insert({ kind: dto.kind, parentId, filters, rows, requestedBy: req.organizer!.organizerId });
    await this.audit.record(req, {
      action: 'export-request.create',
      targetType: 'export-request',
      targetId: request.id,
      details: { kind: dto.kind, parentId, filters, rows },
    });
    return this.view(request);
  }

  /** What approvers look at: `?status=pending` (the console shows these). */
  async list(limit: number, cursor?: string, status?: string): Promise<Page<ExportRequestResponse>> {
    const rows = await this.requests.page(limit, decodeCursor(cursor), status);
    return toPage(rows, limit, (row) => this.view(row as ExportRequest));
  }

  async get(id: string): Promise<ExportRequestResponse> {
    const request = await this.requests.find(id);
    if (!request) throw new NotFoundException('No such export request');
    return this.view(request);
  }

  async decide(req: AuthenticatedRequest, id: string, decision: 'approved' | 'refused'): Promise<ExportRequestResponse> {
    const me = req.organizer!.organizerId;
    const entries = await this.transactions.run(async (tx) => {
      const request = await this.requests.lock(tx, id);
      if (!request) throw new NotFoundException('No such export request');
      if (request.requestedBy === me)
        throw new ForbiddenException('An export request is decided by another organizer, never its requester');
      if (request.status !== 'pending') throw new ConflictException(`This export request is ${this.statusOf(request)} already`);
      await this.requests.decide(tx, id, decision, me);
      await this.audit.record(
        req,
        {
          action: decision === 'approved' ? 'export-request.approve' : 'export-request.refuse',
          targetType: 'export-request',
          targetId: id,
        },
        tx,
      );
      return [
        await this.organizerMail.queue(tx, {
          kind: EXPORT_DECISION_EMAIL,
          dedupeKey: `export-decision:${id}`,
          params: { exportRequestId: id },
        }),
      ];
    });
    this.organizerMail.dispatch(entries);
    return this.get(id);
  }

  /** The approved export, streamed once to its requester. */
  async download(req: AuthenticatedRequest, reply: FastifyReply, id: string): Promise<void> {
    const me = req.organizer!.organizerId;
    const request = await this.requests.find(id);
    if (!request) throw new NotFoundException('No such export request');
    if (request.requestedBy !== me) throw new ForbiddenException('Only the organizer who requested this export may download it');
    const status = this.statusOf(request);
    if (status === 'pending' || status === 'refused') throw new ConflictException(`This export request is ${status}`);
    if (status !== 'approved' || !(await this.requests.claimDownload(id, me))) {
      await this.audit.record(req, { action: 'export-request.download-refused', targetType: 'export-request', targetId: id });
      throw new GoneException('This export was downloaded already or its hour has passed; request it again');
    }
    await this.audit.record(req, { action: 'export-request.download', targetType: 'export-request', targetId: id });
    const spec = await this.specOf({ kind: request.kind, parentId: request.parentId, filters: request.filters });
    await this.csv.send(req, reply, spec, { approved: true });
  }

  async trace(email: string): Promise<TraceResponse> {
    const found = await this.canaries.trace(email);
    if (!found) throw new NotFoundException('No export held this address');
    return found;
  }

  async compose(message: Pick<EmailMessage, 'params'>): Promise<OutgoingEmail | null> {
    const id = message.params.exportRequestId;
    const [request, to] = await Promise.all([this.requests.find(id), this.requests.requesterEmail(id)]);
    if (!request || !to || (request.status !== 'approved' && request.status !== 'refused' && request.status !== 'downloaded')) return null;
    const approved = request.status !== 'refused';
    const subject = approved ? 'Your export request was approved' : 'Your export request was refused';
    const lines = approved
      ? [
          `Export request ${id} (${request.kind}, ${request.rows} rows) was approved.`,
          `Download it once, within an hour of the approval: GET /api/v1/admin/export-requests/${id}/download with your API key.`,
        ]
      : [`Export request ${id} (${request.kind}, ${request.rows} rows) was refused by another organizer.`];
    const text = `${lines.join('\n\n')}\n`;
    const html = `<!doctype html><html lang="en"><body>${lines.map((l) => `<p>${l.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)}</p>`).join('')}</body></html>`;
    return { to, subject, text, html };
  }

  private filtersOf(dto: CreateExportRequestDto): Record<string, string> {
    const allowed = KIND_FILTERS[dto.kind];
    const filters: Record<string, string> = {};
    for (const [key, value] of Object.entries(dto.filters ?? {}) as Array<[string, string | undefined]>) {
      if (value === undefined) continue;
      if (!allowed.filters.includes(key)) throw new BadRequestException(`filters.${key} does not apply to a ${dto.kind} export`);
      if (key === 'status' && !allowed.statuses.includes(value)) {
        throw new BadRequestException(`filters.status must be one of ${allowed.statuses.join(', ')}`);
      }
      filters[key] = value;
    }
    return filters;
  }

  private specOf(request: Pick<ExportRequest, 'kind' | 'parentId' | 'filters'>): Promise<CsvExport> {
    if (request.kind === 'people') return Promise.resolve(this.people.exportSpec(request.filters, { bom: false, include: [] }));
    return this.records.spec(request.kind === 'signatures' ? 'signature' : 'rsvp', request.parentId!, { ...request.filters });
  }

  private statusOf(request: ExportRequest): ExportRequestStatus {
    if (
      request.status === 'approved' &&
      request.decidedAt &&
      this.clock.now().getTime() - request.decidedAt.getTime() > DOWNLOAD_WINDOW_MS
    ) {
      return 'expired';
    }
    return request.status;
  }

  private view(request: ExportRequest): ExportRequestResponse {
    return {
      id: request.id,
      status: this.statusOf(request),
      rows: request.rows,
      kind: request.kind,
      requestedBy: request.requestedBy,
      ...(request.decidedBy ? { decidedBy: request.decidedBy } : {}),
      ...(request.kind === 'signatures' ? { petitionId: request.parentId! } : {}),
      ...(request.kind === 'rsvps' ? { eventId: request.parentId! } : {}),
      filters: request.filters,
      createdAt: request.createdAt,
      ...(request.status === 'approved' && request.decidedAt
        ? { expiresAt: new Date(request.decidedAt.getTime() + DOWNLOAD_WINDOW_MS) }
        : {}),
    };
  }
}
