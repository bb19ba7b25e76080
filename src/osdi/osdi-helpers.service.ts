import { ConflictException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { ClassConstructor, plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomUUID } from 'node:crypto';
import { ActionRequests } from '../actions/action-requests.service';
import { AuditService } from '../audit/audit.service';
import { ChangeFeed } from '../changes/change-feed.service';
import { EventsRepository } from '../events/events.repository';
import { SeatAllocationService } from '../events/seat-allocation.service';
import type { PendingOutboxEntry } from '../outbox/outbox.repository';
import { normalizeEmail } from '../common/crypto.util';
import { FieldError } from '../common/error-response';
import { canonicalLanguageTag } from '../common/languages';
import { RequestValidationException } from '../common/validation';
import { TransactionRunner } from '../database/database.module';
import { CreateRsvpDto } from '../events/dto/create-rsvp.dto';
import { PublicEventsService } from '../events/public-events.service';
import { CreateSignupDto } from '../join/dto/create-signup.dto';
import { SignupService } from '../join/signup.service';
import { SuppressionRepository } from '../mail/suppression.repository';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { SignPetitionDto } from '../petitions/dto/sign-petition.dto';
import { SignPetitionService } from '../petitions/sign-petition.service';
import { PETITION_CONSENT_VERSION } from '../petitions/signature.definition';
import { OSDI_FIELD, OsdiHelperInput, OsdiPersonFields, readHelperBody } from './osdi-input';
import { HalRecord } from './osdi-views';
import { OsdiRepository } from './osdi.repository';
import { OsdiService } from './osdi.service';

export interface HelperContext {
  req: AuthenticatedRequest;
  /** `?consent=confirmed`: the organizer vouches for the consent, as an import does. */
  vouched: boolean;
}

const SOURCE = 'osdi-api';

/**
 * The OSDI helpers (person signup, record signature, record attendance). Without
 * `?consent=confirmed` each is the public form's request, through the same service: the
 * action lifecycle decides in the worker, mails the confirmation link, and nothing counts
 * until it is used. With it, the organizer vouches for the consent (as an import does):
 * the person is written at once, subscribed, the consent recorded as vouched by the key's
 * organizer, and the request audited. Either way the answer is built from the request, never
 * from what is stored, so a known address and a new one get the same answer.
 */
@Injectable()
export class OsdiHelpersService {
  constructor(
    private readonly repo: OsdiRepository,
    private readonly osdi: OsdiService,
    private readonly signups: SignupService,
    private readonly signPetitions: SignPetitionService,
    private readonly publicEvents: PublicEventsService,
    private readonly suppressions: SuppressionRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly events: EventsRepository,
    private readonly seats: SeatAllocationService,
    private readonly requests: ActionRequests,
    private readonly changes: ChangeFeed,
  ) {}

  async personSignup(body: unknown, ctx: HelperContext): Promise<HalRecord> {
    const input = readHelperBody(body, { personLink: false });
    const person = input.person as OsdiPersonFields & { email: string };
    const lists = await this.resolveLists(input.addLists, ctx.vouched);
    const dto = await this.checked(CreateSignupDto, {
      email: person.email,
      givenName: person.givenName,
      familyName: person.familyName,
      country: person.country,
      postalCode: person.postalCode,
      language: person.language,
      lists: ctx.vouched ? undefined : lists.map((l) => l.slug),
      consent: true,
      source: SOURCE,
    });
    const requestId = randomUUID();
    if (ctx.vouched) {
      const listIds =
        lists.length > 0 ? lists.map((l) => l.id) : [await this.repo.defaultListId()].filter((id): id is string => id !== null);
      const personId = await this.vouch(dto, ctx, requestId, 'osdi-signup', input, lists, async (tx, id) => {
        await this.repo.subscribeVouched(tx, id, listIds, {
          organizerId: ctx.req.organizer?.organizerId ?? null,
          action: 'osdi-signup',
          requestId,
        });
      });
      return this.osdi.views.helperAnswer(requestId, dto, 'confirmed', personId);
    }
    await this.tagAtRequest(dto.email, input.addTags);
    await this.signups.accept(dto, ctx.req.ip, ctx.req.headers['accept-language']);
    await this.logRequest(ctx, 'osdi.person_signup', requestId, input, lists);
    return this.osdi.views.helperAnswer(requestId, dto, 'pending');
  }

  async recordSignature(petitionId: string, body: unknown, ctx: HelperContext): Promise<HalRecord> {
    const petition = await this.repo.findPetition(petitionId);
    if (!petition) throw new NotFoundException('No such petition');
    if (petition.status === 'closed') throw new GoneException('This petition is closed');
    if (petition.status !== 'open') throw new ConflictException('This petition is a draft: it takes signatures once open');
    const input = readHelperBody(body, { personLink: true });
    const person = await this.personOf(input);
    const lists = await this.resolveLists(input.addLists, ctx.vouched);
    const dto = await this.checked(SignPetitionDto, {
      email: person.email,
      givenName: person.givenName,
      familyName: person.familyName,
      country: person.country,
      postalCode: person.postalCode,
      language: person.language,
      comment: input.comment,
      subscribe: ctx.vouched ? undefined : this.subscribeToDefault(lists),
    });
    const requestId = randomUUID();
    if (ctx.vouched) {
      const personId = await this.vouch(dto, ctx, requestId, 'osdi-signature', input, lists, async (tx, id) => {
        if ((await this.repo.lockOpenPetition(tx, petitionId)) !== 'open') throw new GoneException('This petition is closed');
        const signatureId = await this.repo.signVouched(tx, {
          petitionId,
          personId: id,
          givenName: dto.givenName,
          familyName: dto.familyName ?? null,
          country: dto.country,
          postalCode: dto.postalCode ?? null,
          comment: dto.comment ?? null,
          language: dto.language ? canonicalLanguageTag(dto.language) : null,
          consentTextVersion: PETITION_CONSENT_VERSION,
        });
        // The webhooks and the change feed hear of it as of a signature confirmed by its link.
        if (signatureId) await this.changes.record(tx, 'signature.confirmed', { personId: id, petitionId, signatureId });
        await this.repo.subscribeVouched(
          tx,
          id,
          lists.map((l) => l.id),
          {
            organizerId: ctx.req.organizer?.organizerId ?? null,
            action: 'osdi-signature',
            requestId,
          },
        );
      });
      return this.actionAnswer(requestId, dto, 'confirmed', 'osdi:petition', `/petitions/${petitionId}`, personId);
    }
    await this.tagAtRequest(dto.email, input.addTags);
    await this.signPetitions.sign(petition.slug, dto, ctx.req.ip, ctx.req.headers['accept-language']);
    await this.logRequest(ctx, 'osdi.signature', requestId, input, lists, petitionId);
    return this.actionAnswer(requestId, dto, 'pending', 'osdi:petition', `/petitions/${petitionId}`, input.personId);
  }

  async recordAttendance(eventId: string, body: unknown, ctx: HelperContext): Promise<HalRecord> {
    const event = await this.repo.findEvent(eventId);
    if (!event) throw new NotFoundException('No such event');
    if (event.status === 'draft') throw new ConflictException('This event is a draft: it takes answers once published');
    if (event.status === 'cancelled') throw new GoneException('This event is cancelled');
    if (new Date(event.startsAt).getTime() <= Date.now()) throw new GoneException('This event has already started');
    const input = readHelperBody(body, { personLink: true });
    const person = await this.personOf(input);
    const lists = await this.resolveLists(input.addLists, ctx.vouched);
    const dto = await this.checked(CreateRsvpDto, {
      email: person.email,
      givenName: person.givenName,
      familyName: person.familyName,
      country: person.country,
      language: person.language,
      subscribe: ctx.vouched ? undefined : this.subscribeToDefault(lists),
    });
    const requestId = randomUUID();
    if (ctx.vouched) {
      const decided: PendingOutboxEntry[] = [];
      const personId = await this.vouch(dto, ctx, requestId, 'osdi-attendance', input, lists, async (tx, id) => {
        const language = dto.language ? canonicalLanguageTag(dto.language) : null;
        const rsvpId = await this.repo.upsertVouchedRsvp(tx, {
          eventId,
          personId: id,
          email: dto.email.trim(),
          givenName: dto.givenName,
          familyName: dto.familyName ?? null,
          country: dto.country ?? null,
          language,
        });
        // Null: going or waitlisted already, and the seat stays as it was. Otherwise as the
        // RSVP's link would: the cancel link, then the seat under the event's lock (going,
        // waitlisted or refused), with its email (holding the cancel link) and reminders.
        if (rsvpId) {
          const locked = await this.events.lockEvent(tx, eventId);
          if (!locked || locked.status !== 'published' || locked.startsAt.getTime() <= Date.now()) {
            throw new GoneException('This event no longer takes answers');
          }
          const cancelTokenId = await this.seats.issueCancelToken(tx, locked, rsvpId, id, new Date());
          const seated = await this.seats.seat(tx, rsvpId, cancelTokenId, language ?? 'en');
          decided.push(...(seated?.entries ?? []));
          // As the RSVP's link would tell it (a refusal tells nothing).
          const change = seated?.status === 'going' ? 'rsvp.going' : seated?.status === 'waitlisted' ? 'rsvp.waitlisted' : null;
          if (change) await this.changes.record(tx, change, { personId: id, eventId, rsvpId });
        }
        await this.repo.subscribeVouched(
          tx,
          id,
          lists.map((l) => l.id),
          { organizerId: ctx.req.organizer?.organizerId ?? null, action: 'osdi-attendance', requestId },
        );
      });
      this.requests.dispatch(decided);
      return this.actionAnswer(requestId, dto, 'confirmed', 'osdi:event', `/events/${eventId}`, personId);
    }
    await this.tagAtRequest(dto.email, input.addTags);
    await this.publicEvents.rsvp(event.slug, dto, ctx.req.ip, ctx.req.headers['accept-language']);
    await this.logRequest(ctx, 'osdi.attendance', requestId, input, lists, eventId);
    return this.actionAnswer(requestId, dto, 'pending', 'osdi:event', `/events/${eventId}`, input.personId);
  }

  // ---- shared steps -----------------------------------------------------------------------

  /** The person a request is about: the one its link names (its stored details, what the body adds), or the body's. */
  private async personOf(input: OsdiHelperInput): Promise<OsdiPersonFields & { email: string }> {
    if (!input.personId) return input.person as OsdiPersonFields & { email: string };
    const stored = await this.repo.findPerson(input.personId);
    if (!stored) throw new RequestValidationException([{ field: '_links', message: 'osdi:person names no person' }]);
    const given = input.person ?? {};
    return {
      email: stored.email,
      givenName: given.givenName ?? stored.givenName ?? undefined,
      familyName: given.familyName ?? stored.familyName ?? undefined,
      country: given.country ?? stored.country ?? undefined,
      postalCode: given.postalCode ?? stored.postalCode ?? undefined,
      language: given.language ?? stored.language ?? undefined,
    };
  }

  /**
   * `add_lists` by slug or name. Without vouched consent only public lists, as on the public
   * forms (a private list and an unknown one get the same answer); with it, any list.
   */
  private async resolveLists(names: string[], vouched: boolean): Promise<Array<{ id: string; slug: string; isDefault: boolean }>> {
    if (names.length === 0) return [];
    const found = await this.repo.listsNamed(names);
    const usable = found.filter((l) => vouched || l.isPublic);
    const covered = new Set(usable.flatMap((l) => [l.slug, l.name]));
    if (names.some((n) => !covered.has(n))) throw new RequestValidationException([{ field: 'add_lists', message: 'unknown list' }]);
    return usable;
  }

  /** A signature or RSVP joins the default list only (its form's "subscribe" box); other lists need the signup helper. */
  private subscribeToDefault(lists: Array<{ isDefault: boolean }>): boolean {
    if (lists.some((l) => !l.isDefault)) {
      throw new RequestValidationException([
        {
          field: 'add_lists',
          message:
            'without consent=confirmed a signature or attendance joins the default list only; use the person signup helper for others',
        },
      ]);
    }
    return lists.length > 0;
  }

  /** Validates with the public form's own DTO, reporting the OSDI field names. */
  private async checked<T extends object>(type: ClassConstructor<T>, plain: Record<string, unknown>): Promise<T> {
    const dto = plainToInstance(type, Object.fromEntries(Object.entries(plain).filter(([, v]) => v !== undefined)));
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
    if (errors.length > 0) {
      const details: FieldError[] = errors.map((e) => ({
        field: OSDI_FIELD[e.property] ?? e.property,
        message: Object.values(e.constraints ?? {})[0] ?? 'is not valid',
      }));
      throw new RequestValidationException(details);
    }
    return dto;
  }

  /**
   * The organizer's tags, on the person of the address (created without details when new:
   * the lifecycle fills them once the link is used). Never on a suppressed address: an
   * erased person is not brought back by a tag. Nothing of this shows in the answer.
   */
  private async tagAtRequest(email: string, tags: string[]): Promise<void> {
    if (tags.length === 0 || (await this.suppressions.isSuppressed(email))) return;
    await this.transactions.run(async (tx) => {
      const personId = await this.repo.findOrCreatePerson(tx, email.trim(), normalizeEmail(email));
      for (const tag of tags) await this.repo.tag(personId, tag, tx);
    });
  }

  /** Vouched consent: the person, the kind's own write, tags and the audit entry in one transaction. */
  private async vouch(
    dto: { email: string; givenName?: string; familyName?: string; country?: string; postalCode?: string; language?: string },
    ctx: HelperContext,
    requestId: string,
    action: string,
    input: OsdiHelperInput,
    lists: Array<{ slug: string }>,
    write: (tx: Parameters<Parameters<TransactionRunner['run']>[0]>[0], personId: string) => Promise<void>,
  ): Promise<string> {
    // As imports refuse them: an erased, bouncing or complaining address is not brought back.
    if (await this.suppressions.isSuppressed(dto.email)) {
      throw new RequestValidationException([
        { field: OSDI_FIELD.email, message: 'the address is suppressed (erased, bounced or complained) and cannot be added' },
      ]);
    }
    return this.transactions.run(async (tx) => {
      const personId = await this.repo.upsertVouchedPerson(tx, {
        email: dto.email.trim(),
        emailNormalized: normalizeEmail(dto.email),
        givenName: dto.givenName ?? null,
        familyName: dto.familyName ?? null,
        country: dto.country ?? null,
        postalCode: dto.postalCode ?? null,
        language: dto.language ? canonicalLanguageTag(dto.language) : null,
      });
      await write(tx, personId);
      for (const tag of input.addTags) await this.repo.tag(personId, tag, tx);
      await this.audit.record(
        ctx.req,
        {
          action: action.replace('osdi-', 'osdi.').replace('signup', 'person_signup'),
          targetType: 'person',
          targetId: personId,
          details: { via: 'osdi', consent: 'confirmed', requestId, lists: lists.map((l) => l.slug), tags: input.addTags },
        },
        tx,
      );
      return personId;
    });
  }

  private async logRequest(
    ctx: HelperContext,
    action: string,
    requestId: string,
    input: OsdiHelperInput,
    lists: Array<{ slug: string }>,
    targetId?: string,
  ): Promise<void> {
    await this.audit.record(ctx.req, {
      action,
      targetType: action === 'osdi.person_signup' ? 'person' : action === 'osdi.signature' ? 'petition' : 'event',
      targetId,
      details: { via: 'osdi', consent: 'none', requestId, lists: lists.map((l) => l.slug), tags: input.addTags },
    });
  }

  /** A signature's or attendance's answer: the request, its action, and the person when the request named one. */
  private actionAnswer(
    requestId: string,
    person: {
      email: string;
      givenName?: string;
      familyName?: string;
      country?: string;
      postalCode?: string;
      language?: string;
      comment?: string;
    },
    status: 'pending' | 'confirmed',
    rel: string,
    path: string,
    personId?: string,
  ): HalRecord {
    const now = new Date().toISOString();
    const links: Record<string, { href: string }> = { [rel]: this.osdi.views.link(path) };
    if (personId) links['osdi:person'] = this.osdi.views.link(`/people/${personId}`);
    return {
      identifiers: [`campaign_platform:${requestId}`],
      created_date: now,
      modified_date: now,
      request_status: status,
      comments: person.comment,
      _embedded: { 'osdi:person': this.osdi.views.helperAnswer(requestId, person, status, personId) },
      _links: { ...links, curies: this.osdi.views.curies() },
    };
  }
}
