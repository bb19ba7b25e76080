import { Injectable, NotFoundException, OnModuleInit } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { decodeCursor, Page, syncWindow, toPage } from '../common/pagination';
import { CsvExport, CsvExportService } from '../exports/csv-export.service';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PeopleCsvOptionalColumn, PeopleFilters, PeopleRepository, PersonRow, Tombstone } from './people.repository';
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

  /**
   * A page of people, newest first; with `modifiedSince`, an incremental sync: the people
   * changed since and the tombstones of those erased since, merged in (time, id) order.
   */
  async list(filters: PeopleFilters, limit: number, cursor?: string, modifiedSince?: string): Promise<Page<PersonRow | Tombstone>> {
    const after = decodeCursor(cursor);
    const sync = syncWindow(modifiedSince);
    if (!sync) return toPage(await this.people.page(filters, limit, after), limit, (row) => row);
    const [people, tombstones] = await Promise.all([
      this.people.page(filters, limit, after, sync),
      this.people.tombstones(sync, limit, after),
    ]);
    // Each side is its own first `limit` after the cursor, so the merged first `limit` is exact.
    type Entry = { id: string; cursorMicros: string; item: PersonRow | Tombstone };
    const entries: Entry[] = [
      ...people.map(({ cursorMicros, ...row }) => ({ id: row.id, cursorMicros, item: row })),
      ...tombstones.map((t) => ({ id: t.id, cursorMicros: t.cursorMicros, item: { id: t.id, erased: true as const } })),
    ];
    const key = (e: Entry): [bigint, string] => [BigInt(e.cursorMicros), e.id];
    entries.sort((a, b) => {
      const [am, ai] = key(a);
      const [bm, bi] = key(b);
      if (am !== bm) return am < bm ? -1 : 1;
      return ai < bi ? -1 : ai > bi ? 1 : 0;
    });
    return toPage(entries.slice(0, limit), limit, (e) => e.item);
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
