import { Injectable, NotFoundException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { AuditedRequest } from '../audit/audit.service';
import { AuditService } from '../audit/audit.service';
import { canonicalLanguageTag } from '../common/languages';
import { RequestValidationException } from '../common/validation';
import { SLUG_PATTERN } from '../common/validators';
import { AppConfig } from '../config/app-config';
import { CreateSignupDto } from '../join/dto/create-signup.dto';
import { MAX_PAGE_SIZE, OsdiPageQuery } from './dto/osdi-query.dto';
import { filterFields, FilterError, FilterNode, parseFilter } from './odata-filter';
import { OSDI_FIELD, personIdOfLink, readPerson } from './osdi-input';
import { HalRecord, OsdiViews } from './osdi-views';
import { OsdiRepository, PageOf, PageRequest } from './osdi.repository';

export interface Paging {
  page: number;
  perPage: number;
  filter?: string;
  request: PageRequest;
}

/** Reads of the OSDI collections, the person PUT, tags and taggings. */
@Injectable()
export class OsdiService {
  readonly views: OsdiViews;

  constructor(
    private readonly repo: OsdiRepository,
    private readonly audit: AuditService,
    config: AppConfig,
  ) {
    this.views = new OsdiViews(config.publicUrl);
  }

  /** `page`, `per_page` (at most 25: more is read as 25, as Action Network does) and the parsed filter. */
  paging(query: OsdiPageQuery, filterable: boolean): Paging {
    const perPage = Math.min(query.per_page ?? query.perPage ?? MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const page = query.page ?? 1;
    let filter: FilterNode | undefined;
    if (query.filter !== undefined) {
      if (!filterable) throw new RequestValidationException([{ field: 'filter', message: 'this collection takes no filter' }]);
      try {
        filter = parseFilter(query.filter);
      } catch (err) {
        if (err instanceof FilterError) throw new RequestValidationException([{ field: 'filter', message: err.message }]);
        throw err;
      }
    }
    return { page, perPage, filter: query.filter, request: { limit: perPage, offset: (page - 1) * perPage, filter } };
  }

  private collection<T>(name: string, path: string, paging: Paging, result: PageOf<T>, view: (row: T) => HalRecord): HalRecord {
    return this.views.collection(name, path, result.rows.map(view), {
      page: paging.page,
      perPage: paging.perPage,
      total: result.total,
      filter: paging.filter,
    });
  }

  /**
   * A page of people, signers, attendees, subscribers or taggings is personal data in bulk:
   * who read it, which page, the filter's fields (never its values: an address) and how many.
   */
  private async audited<T>(
    req: AuditedRequest,
    action: string,
    target: { type: string; id?: string },
    paging: Paging,
    result: PageOf<T>,
  ): Promise<PageOf<T>> {
    await this.audit.record(req, {
      action,
      targetType: target.type,
      targetId: target.id,
      details: {
        via: 'osdi',
        page: paging.page,
        perPage: paging.perPage,
        filterFields: paging.request.filter ? filterFields(paging.request.filter) : [],
        rows: result.rows.length,
      },
    });
    return result;
  }

  async people(query: OsdiPageQuery, req: AuditedRequest): Promise<HalRecord> {
    const paging = this.paging(query, true);
    const result = await this.audited(req, 'osdi.people.list', { type: 'person' }, paging, await this.repo.pagePeople(paging.request));
    return this.collection('people', '/people', paging, result, (p) => this.views.person(p));
  }

  async person(id: string): Promise<HalRecord> {
    const person = await this.repo.findPerson(id);
    if (!person) throw new NotFoundException('No such person');
    return this.views.person(person);
  }

  /**
   * An organizer's edit of one person (Action Network's PUT: the fields given replace the
   * person's). The address is the person's identity: a different one is refused, and the
   * rest is checked with the join form's rules.
   */
  async updatePerson(id: string, body: unknown): Promise<HalRecord> {
    const errors: Array<{ field: string; message: string }> = [];
    const { email, ...details } = readPerson(body, errors, '') ?? {};
    if (errors.length > 0) throw new RequestValidationException(errors);
    const person = await this.repo.findPerson(id);
    if (!person) throw new NotFoundException('No such person');
    if (email !== undefined && email.trim().normalize('NFC').toLowerCase() !== person.email.trim().normalize('NFC').toLowerCase()) {
      throw new RequestValidationException([
        { field: 'email_addresses', message: 'the address cannot be changed: only its owner can, by signing up with the new one' },
      ]);
    }
    const dto = plainToInstance(CreateSignupDto, { email: person.email, consent: true, ...details });
    const problems = await validate(dto, { forbidUnknownValues: true });
    if (problems.length > 0) {
      throw new RequestValidationException(
        problems.map((p) => ({
          field: (OSDI_FIELD[p.property] ?? p.property).replace(/^person\./, ''),
          message: Object.values(p.constraints ?? {})[0] ?? 'is not valid',
        })),
      );
    }
    await this.repo.updatePerson(id, {
      givenName: dto.givenName,
      familyName: dto.familyName,
      country: dto.country,
      postalCode: dto.postalCode,
      language: dto.language ? canonicalLanguageTag(dto.language) : undefined,
    });
    return this.person(id);
  }

  /** A person's own signatures, attendances and taggings (`_links` of the person). */
  async personRecords(id: string, kind: 'signatures' | 'attendances' | 'taggings', query: OsdiPageQuery): Promise<HalRecord> {
    if (!(await this.repo.findPerson(id))) throw new NotFoundException('No such person');
    const path = `/people/${id}/${kind}`;
    if (kind === 'signatures') {
      const paging = this.paging(query, true);
      return this.collection(kind, path, paging, await this.repo.pagePersonSignatures(id, paging.request), (s) => this.views.signature(s));
    }
    if (kind === 'attendances') {
      const paging = this.paging(query, true);
      return this.collection(kind, path, paging, await this.repo.pagePersonAttendances(id, paging.request), (a) =>
        this.views.attendance(a),
      );
    }
    const paging = this.paging(query, false);
    return this.collection(kind, path, paging, await this.repo.pagePersonTaggings(id, paging.request), (t) =>
      this.views.tagging(t.tagId, t),
    );
  }

  async tags(query: OsdiPageQuery): Promise<HalRecord> {
    const paging = this.paging(query, false);
    return this.collection('tags', '/tags', paging, await this.repo.pageTags(paging.request), (t) => this.views.tag(t));
  }

  async tag(id: string): Promise<HalRecord> {
    const tag = await this.repo.findTag(id);
    if (!tag) throw new NotFoundException('No such tag');
    return this.views.tag(tag);
  }

  async createTag(body: unknown): Promise<HalRecord> {
    const name = typeof body === 'object' && body !== null ? (body as { name?: unknown }).name : undefined;
    if (typeof name !== 'string' || name.length > 64 || !SLUG_PATTERN.test(name)) {
      throw new RequestValidationException([{ field: 'name', message: 'name must be lower-case letters, digits and dashes (at most 64)' }]);
    }
    await this.repo.createTag(name);
    return this.views.tag(await this.repo.findTagByName(name));
  }

  async taggings(tagId: string, query: OsdiPageQuery, req: AuditedRequest): Promise<HalRecord> {
    const tag = await this.repo.findTag(tagId);
    if (!tag) throw new NotFoundException('No such tag');
    const paging = this.paging(query, false);
    const result = await this.audited(
      req,
      'osdi.taggings.list',
      { type: 'tag', id: tag.id },
      paging,
      await this.repo.pageTaggings(tag.name, paging.request),
    );
    return this.collection('taggings', `/tags/${tag.id}/taggings`, paging, result, (t) => this.views.tagging(tag.id, t));
  }

  async tagging(tagId: string, taggingId: string): Promise<HalRecord> {
    const tag = await this.repo.findTag(tagId);
    const tagging = tag ? await this.repo.findTagging(tag.name, taggingId) : null;
    if (!tag || !tagging) throw new NotFoundException('No such tagging');
    return this.views.tagging(tag.id, tagging);
  }

  /** `POST /tags/{id}/taggings` with `_links["osdi:person"].href`: tags the person (again is the same tagging). */
  async addTagging(tagId: string, body: unknown): Promise<HalRecord> {
    const errors: Array<{ field: string; message: string }> = [];
    const personId = personIdOfLink(
      typeof body === 'object' && body !== null ? (body as { _links?: unknown })._links : undefined,
      '_links',
      errors,
    );
    if (!personId) throw new RequestValidationException(errors);
    const tag = await this.repo.findTag(tagId);
    if (!tag) throw new NotFoundException('No such tag');
    const tagging = await this.repo.tag(personId, tag.name);
    if (!tagging) throw new RequestValidationException([{ field: '_links', message: 'osdi:person names no person' }]);
    return this.views.tagging(tag.id, tagging);
  }

  async removeTagging(tagId: string, taggingId: string): Promise<void> {
    const tag = await this.repo.findTag(tagId);
    const tagging = tag ? await this.repo.findTagging(tag.name, taggingId) : null;
    if (!tag || !tagging) throw new NotFoundException('No such tagging');
    await this.repo.untag(tagging.personId, tag.name);
  }

  async lists(query: OsdiPageQuery): Promise<HalRecord> {
    const paging = this.paging(query, false);
    return this.collection('lists', '/lists', paging, await this.repo.pageLists(paging.request), (l) => this.views.list(l));
  }

  async list(id: string): Promise<HalRecord> {
    const list = await this.repo.findList(id);
    if (!list) throw new NotFoundException('No such list');
    return this.views.list(list);
  }

  async items(listId: string, query: OsdiPageQuery, req: AuditedRequest): Promise<HalRecord> {
    if (!(await this.repo.findList(listId))) throw new NotFoundException('No such list');
    const paging = this.paging(query, false);
    const result = await this.audited(
      req,
      'osdi.items.list',
      { type: 'list', id: listId },
      paging,
      await this.repo.pageItems(listId, paging.request),
    );
    return this.collection('items', `/lists/${listId}/items`, paging, result, (i) => this.views.item(listId, i));
  }

  async item(listId: string, itemId: string): Promise<HalRecord> {
    const item = await this.repo.findItem(listId, itemId);
    if (!item) throw new NotFoundException('No such item');
    return this.views.item(listId, item);
  }

  async petitions(query: OsdiPageQuery): Promise<HalRecord> {
    const paging = this.paging(query, false);
    return this.collection('petitions', '/petitions', paging, await this.repo.pagePetitions(paging.request), (p) => this.views.petition(p));
  }

  async petition(id: string): Promise<HalRecord> {
    const petition = await this.repo.findPetition(id);
    if (!petition) throw new NotFoundException('No such petition');
    return this.views.petition(petition);
  }

  async signatures(petitionId: string, query: OsdiPageQuery, req: AuditedRequest): Promise<HalRecord> {
    if (!(await this.repo.findPetition(petitionId))) throw new NotFoundException('No such petition');
    const paging = this.paging(query, true);
    const page = await this.repo.pageSignatures(petitionId, paging.request);
    const result = await this.audited(req, 'osdi.signatures.list', { type: 'petition', id: petitionId }, paging, page);
    return this.collection('signatures', `/petitions/${petitionId}/signatures`, paging, result, (s) => this.views.signature(s));
  }

  async signature(petitionId: string, id: string): Promise<HalRecord> {
    const signature = await this.repo.findSignature(petitionId, id);
    if (!signature) throw new NotFoundException('No such signature');
    return this.views.signature(signature);
  }

  async events(query: OsdiPageQuery): Promise<HalRecord> {
    const paging = this.paging(query, false);
    return this.collection('events', '/events', paging, await this.repo.pageEvents(paging.request), (e) => this.views.event(e));
  }

  async event(id: string): Promise<HalRecord> {
    const event = await this.repo.findEvent(id);
    if (!event) throw new NotFoundException('No such event');
    return this.views.event(event);
  }

  async attendances(eventId: string, query: OsdiPageQuery, req: AuditedRequest): Promise<HalRecord> {
    if (!(await this.repo.findEvent(eventId))) throw new NotFoundException('No such event');
    const paging = this.paging(query, true);
    const page = await this.repo.pageAttendances(eventId, paging.request);
    const result = await this.audited(req, 'osdi.attendances.list', { type: 'event', id: eventId }, paging, page);
    return this.collection('attendances', `/events/${eventId}/attendances`, paging, result, (a) => this.views.attendance(a));
  }

  async attendance(eventId: string, id: string): Promise<HalRecord> {
    const attendance = await this.repo.findAttendance(eventId, id);
    if (!attendance) throw new NotFoundException('No such attendance');
    return this.views.attendance(attendance);
  }
}
