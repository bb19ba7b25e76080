import { Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { CsvExport, CsvExportService } from '../exports/csv-export.service';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PeopleCsvOptionalColumn, PeopleFilters, PeopleRepository, PersonRow } from './people.repository';
import { ALWAYS_PRESENT_SECTIONS, PersonSectionRegistry } from './person-sections.registry';

/** People for organizers: filtered lists, one person in full, tags, the people export. */
@Injectable()
export class PeopleService implements OnModuleInit {
  constructor(
    private readonly people: PeopleRepository,
    private readonly sections: PersonSectionRegistry,
    private readonly csv: CsvExportService,
  ) {}

  onModuleInit(): void {
    // This feature's sections and erasure steps; the action kinds (src/actions) and mailings add theirs.
    this.sections.register({ key: 'subscriptions', inDetail: true, load: (id) => this.people.subscriptionsOf(id) });
    this.sections.register({ key: 'consentRecords', inDetail: true, load: (id) => this.people.consentRecordsOf(id) });
    this.sections.register({ key: 'emails', inDetail: false, load: (id) => this.people.emailsOf(id) });
    this.sections.registerErasureStep({ name: 'email-messages', run: (tx, p) => this.people.deleteEmailMessages(tx, p.id) });
    this.sections.registerErasureStep({ name: 'action-tokens', run: (tx, p) => this.people.deleteTokens(tx, p.id) });
  }

  async list(filters: PeopleFilters, limit: number, cursor?: string): Promise<Page<PersonRow>> {
    const rows = await this.people.page(filters, limit, decodeCursor(cursor));
    return toPage(rows, limit, (row) => row);
  }

  async get(id: string): Promise<PersonRow> {
    const person = await this.people.findById(id);
    if (!person) throw new NotFoundException('No such person');
    return person;
  }

  /** `GET /admin/people/{id}`: the person with every section marked for the detail view. */
  async detail(id: string): Promise<Record<string, unknown>> {
    return this.assemble(id, (s) => s.inDetail);
  }

  /** Subject access: everything held about the person, every section, as JSON. */
  async accessExport(id: string): Promise<Record<string, unknown>> {
    return { generatedAt: new Date().toISOString(), ...(await this.assemble(id, () => true)) };
  }

  private async assemble(id: string, include: (s: { key: string; inDetail: boolean }) => boolean): Promise<Record<string, unknown>> {
    const person = await this.get(id);
    const sections: Record<string, unknown[]> = Object.fromEntries(ALWAYS_PRESENT_SECTIONS.map((key) => [key, []]));
    const wanted = this.sections.all().filter(include);
    const loaded = await Promise.all(wanted.map((s) => s.load(id)));
    wanted.forEach((s, i) => (sections[s.key] = loaded[i]));
    return { ...person, ...sections };
  }

  async tag(id: string, tag: string): Promise<void> {
    if (!(await this.people.addTag(id, tag))) throw new NotFoundException('No such person');
  }

  async untag(id: string, tag: string): Promise<void> {
    if (!(await this.people.removeTag(id, tag))) throw new NotFoundException('No such person');
  }

  /** The people export of these filters (columns, query, audit words), for a direct download or an approved request's. */
  exportSpec(filters: PeopleFilters, options: { bom: boolean; include: PeopleCsvOptionalColumn[] }): CsvExport {
    return {
      query: this.people.exportQuery(filters, options.include),
      filename: 'people.csv',
      bom: options.bom,
      action: 'export.people',
      kind: 'people',
      targetType: 'person',
      filters: { ...filters },
    };
  }

  exportCsv(
    req: AuthenticatedRequest,
    reply: FastifyReply,
    filters: PeopleFilters,
    options: { bom: boolean; include: PeopleCsvOptionalColumn[] },
  ): Promise<void> {
    return this.csv.send(req, reply, this.exportSpec(filters, options));
  }
}
