import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { FieldError } from '../common/error-response';
import { decodeCursor, toPage } from '../common/pagination';
import { RequestValidationException } from '../common/validation';
import { TransactionRunner } from '../database/database.module';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { OutboxRepository, PendingOutboxEntry } from '../outbox/outbox.repository';
import { MailingJob, mailingJobId, MAILINGS_QUEUE, PlanMailingPayload } from '../queues/mailings.queue';
import { CreateMailingDto, MailingPage, MailingResponse, PROTECTED_FROM_NAME } from './dto/mailing.dto';
import { Mailing, MailingVariant } from './mailing.entity';
import { MailingsRepository } from './mailings.repository';
import { validateContent } from './newsletter-template';

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;
const SINGLE_LINE = /^[^\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]*$/u;
const MAX_TEMPLATE = 512 * 1024;

/** Newsletters as organizers see them: create, read, send (now or at sendAt), cancel. */
@Injectable()
export class MailingsService {
  constructor(
    private readonly mailings: MailingsRepository,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateMailingDto): Promise<MailingResponse> {
    // The DTO has validated every part already; this re-check is the last line before storage.
    const content = this.checkContent(Object.fromEntries([...dto.content].map(([lang, v]) => [lang, { ...v }])), dto.defaultLanguage);
    const slugs = [...new Set(dto.audience.lists)];
    const lists = await this.mailings.listIdsBySlugs(slugs);
    const petitionIds = [...new Set((dto.audience.petitions ?? []).map((id) => id.toLowerCase()))];
    const eventIds = [...new Set((dto.audience.events ?? []).map((id) => id.toLowerCase()))];
    const [petitions, events] = await Promise.all([
      this.mailings.existingPetitionIds(petitionIds),
      this.mailings.existingEventIds(eventIds),
    ]);
    // Unknown ids are refused like unknown list slugs (400, the field named): a typo would
    // otherwise narrow the audience to nobody and the mailing would go out to no one.
    const errors: FieldError[] = [];
    const unknown = slugs.filter((s) => !lists.has(s));
    if (unknown.length > 0) errors.push({ field: 'audience.lists', message: `unknown list(s): ${unknown.join(', ')}` });
    const unknownPetitions = petitionIds.filter((id) => !petitions.has(id));
    if (unknownPetitions.length > 0)
      errors.push({ field: 'audience.petitions', message: `unknown petition(s): ${unknownPetitions.join(', ')}` });
    const unknownEvents = eventIds.filter((id) => !events.has(id));
    if (unknownEvents.length > 0) errors.push({ field: 'audience.events', message: `unknown event(s): ${unknownEvents.join(', ')}` });
    if (errors.length > 0) throw new RequestValidationException(errors);
    const mailing = await this.mailings.create({
      name: dto.name,
      listIds: slugs.map((s) => lists.get(s)!),
      countries: [...new Set(dto.audience.countries ?? [])],
      languages: [...new Set((dto.audience.languages ?? []).map((l) => l.split('-')[0].toLowerCase()))],
      petitionIds,
      eventIds,
      content,
      defaultLanguage: dto.defaultLanguage,
      sendAt: dto.sendAt ? new Date(dto.sendAt) : null,
    });
    return this.present(mailing);
  }

  async get(id: string): Promise<MailingResponse> {
    const mailing = await this.mailings.findById(id);
    if (!mailing) throw new NotFoundException('No such mailing');
    return this.present(mailing);
  }

  async list(limit: number, cursor?: string): Promise<MailingPage> {
    const page = toPage(await this.mailings.page(limit, decodeCursor(cursor)), limit, (m) => m);
    return { items: await Promise.all(page.items.map((m) => this.present(m))), nextCursor: page.nextCursor };
  }

  /** Sends now, or schedules for sendAt when that is still to come. Only a draft can be sent. */
  async send(id: string): Promise<MailingResponse> {
    const entry = await this.transactions.run(async (tx) => {
      const mailing = await this.mailings.lock(tx, id);
      if (!mailing) throw new NotFoundException('No such mailing');
      if (mailing.status !== 'draft') throw new ConflictException(`The mailing is ${mailing.status}; only a draft can be sent`);
      if (mailing.sendAt && mailing.sendAt.getTime() > this.clock.now().getTime()) {
        await this.mailings.transition(tx, id, ['draft'], 'scheduled');
        return null;
      }
      return this.start(tx, id, ['draft']);
    });
    if (entry) this.relay.dispatchSoon(entry);
    return this.get(id);
  }

  /** Stops a mailing: batches check the status before every message, so sending stops within a message or two. */
  async cancel(id: string): Promise<MailingResponse> {
    const mailing = await this.mailings.findById(id);
    if (!mailing) throw new NotFoundException('No such mailing');
    if (!(await this.mailings.transition(null, id, ['draft', 'scheduled', 'sending'], 'cancelled', 'cancelled'))) {
      const current = await this.mailings.findById(id);
      throw new ConflictException(`The mailing is ${current?.status ?? 'gone'}; it can no longer be cancelled`);
    }
    return this.get(id);
  }

  /** Starts scheduled mailings whose time has come (the scheduler calls this). */
  async startDue(): Promise<number> {
    let started = 0;
    for (const id of await this.mailings.findDue(this.clock.now(), 50)) {
      const entry = await this.transactions.run((tx) => this.start(tx, id, ['scheduled']));
      if (entry) {
        this.relay.dispatchSoon(entry);
        started++;
      }
    }
    return started;
  }

  /** → sending, with the planner's job in the outbox of the same transaction. */
  private async start(tx: EntityManager, id: string, from: Array<'draft' | 'scheduled'>): Promise<PendingOutboxEntry | null> {
    if (!(await this.mailings.transition(tx, id, from, 'sending', 'started'))) return null;
    const entry: PendingOutboxEntry = {
      id: randomUUID(),
      queue: MAILINGS_QUEUE,
      jobName: MailingJob.PlanMailing,
      jobId: mailingJobId.planMailing(id),
      payload: { mailingId: id } satisfies PlanMailingPayload,
    };
    await this.outbox.add(tx, [entry]);
    return entry;
  }

  private checkContent(content: Record<string, unknown>, defaultLanguage: string): Record<string, MailingVariant> {
    const errors: FieldError[] = [];
    const out: Record<string, MailingVariant> = {};
    const keys = Object.keys(content);
    if (keys.length === 0 || keys.length > 20) errors.push({ field: 'content', message: 'content must have 1 to 20 languages' });
    for (const lang of keys) {
      const field = `content.${lang}`;
      const v = content[lang] as Record<string, unknown> | null;
      if (!LANGUAGE_TAG.test(lang)) errors.push({ field, message: 'each key of content must be a language tag' });
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        errors.push({ field, message: 'must be {subject, html, text?}' });
        continue;
      }
      for (const k of Object.keys(v))
        if (!['subject', 'html', 'text', 'protectedSubject', 'protectedFromName'].includes(k))
          errors.push({ field: `${field}.${k}`, message: 'is not an allowed field' });
      const { subject, html, text, protectedSubject, protectedFromName } = v;
      if (
        protectedSubject !== undefined &&
        (typeof protectedSubject !== 'string' ||
          protectedSubject.trim().length === 0 ||
          protectedSubject.length > 300 ||
          !SINGLE_LINE.test(protectedSubject))
      ) {
        errors.push({ field: `${field}.protectedSubject`, message: 'protectedSubject must be one line of 1 to 300 characters' });
      }
      if (protectedFromName !== undefined && (typeof protectedFromName !== 'string' || !PROTECTED_FROM_NAME.test(protectedFromName))) {
        errors.push({
          field: `${field}.protectedFromName`,
          message: 'protectedFromName must be 1 to 100 characters, without <>@" or line breaks',
        });
      }
      if (typeof subject !== 'string' || subject.trim().length === 0 || subject.length > 300 || !SINGLE_LINE.test(subject)) {
        errors.push({ field: `${field}.subject`, message: 'subject must be one line of 1 to 300 characters' });
      }
      if (typeof html !== 'string' || html.trim().length === 0 || html.length > MAX_TEMPLATE) {
        errors.push({ field: `${field}.html`, message: 'html must be a non-empty string of at most 512 KiB' });
      }
      if (text !== undefined && (typeof text !== 'string' || text.length > MAX_TEMPLATE)) {
        errors.push({ field: `${field}.text`, message: 'text must be a string of at most 512 KiB' });
      }
      if (errors.length === 0)
        out[lang] = {
          subject: subject as string,
          html: html as string,
          ...(text !== undefined ? { text: text as string } : {}),
          ...(protectedSubject !== undefined ? { protectedSubject: protectedSubject as string } : {}),
          ...(protectedFromName !== undefined ? { protectedFromName: protectedFromName as string } : {}),
        };
    }
    if (!keys.includes(defaultLanguage))
      errors.push({ field: 'defaultLanguage', message: 'defaultLanguage must be one of the languages in content' });
    if (errors.length === 0) errors.push(...validateContent(out));
    if (errors.length > 0) throw new RequestValidationException(errors);
    return out;
  }

  private async present(m: Mailing): Promise<MailingResponse> {
    const [lists, stats] = await Promise.all([this.mailings.listSlugs(m.listIds), this.mailings.stats(m.id)]);
    return {
      id: m.id,
      name: m.name,
      status: m.status,
      audience: { lists, countries: m.countries, languages: m.languages, petitions: m.petitionIds, events: m.eventIds },
      content: m.content,
      defaultLanguage: m.defaultLanguage,
      sendAt: m.sendAt,
      stats,
      createdAt: m.createdAt,
      startedAt: m.startedAt,
      finishedAt: m.finishedAt,
      cancelledAt: m.cancelledAt,
    };
  }
}
