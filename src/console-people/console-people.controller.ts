import { BadRequestException, Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { normalizeEmail } from '../common/crypto.util';
import { UuidPipe } from '../common/uuid.pipe';
import { ConsoleFormDto } from '../console/console-form.dto';
import { html, SafeHtml } from '../console/console-html';
import { csrfField, renderConsolePage, sendConsolePage } from '../console/console-layout';
import { formatDateTime } from '../console/console-messages';
import { roleAtLeast } from '../organizers/roles';
import type { ConsoleRequest, ConsoleSession } from '../console/console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from '../console/console-session.guard';
import { auditableFilters } from '../exports/csv-export.service';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PeopleListQuery, TAG_PATTERN } from '../people/dto/people.dto';
import { ErasePersonService } from '../people/erase-person.service';
import type { PersonRow } from '../people/people.repository';
import { PeopleService } from '../people/people.service';
import { PersonTimelineService } from '../people/person-timeline.service';
import { consolePeopleMessages, ConsolePeopleMessages } from './console-people.messages';

export class TagForm extends ConsoleFormDto {
  @IsString()
  @MaxLength(64)
  @Matches(TAG_PATTERN, { message: 'tag must be lower-case letters, digits and dashes' })
  tag!: string;
}

/** The search's query: the API's filters and paging, and the notice after an erasure. */
export class ConsolePeopleQuery extends PeopleListQuery {
  @IsOptional()
  @IsIn(['1'])
  erased?: '1';
}

export class EraseForm extends ConsoleFormDto {
  /** The person's email address, typed again: the confirmation. */
  @IsString()
  @MaxLength(320)
  confirm!: string;
}

const FILTERS = ['email', 'name', 'country', 'language', 'list', 'tag', 'confirmed'] as const;

/** A person's typed text, isolated so a right-to-left name does not reorder the cells around it. */
const typed = (value: string | null | undefined): SafeHtml => (value ? html`<bdi>${value}</bdi>` : html``);

/**
 * People in the console: search (the organizer API's filters and keyset paging, audited as
 * `people.list`), one person (details, tags, timeline; `person.read`), the subject-access
 * download, tags and erasure (behind the person's address typed again). Roles as in the
 * API: a viewer may open one person's record by its id, and nothing in bulk; only
 * organizers search, tag, download and erase.
 */
@ConsoleController('console/people')
export class ConsolePeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly timelines: PersonTimelineService,
    private readonly erasure: ErasePersonService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ConsoleAuth('viewer')
  async search(
    @CurrentSession() session: ConsoleSession,
    @Query() query: ConsolePeopleQuery,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const t = consolePeopleMessages(session.lang);
    const { erased, limit, cursor, ...filters } = query;
    const notice = erased ? html`<p class="notice" role="status">${t.erased}</p>` : html``;
    const openById = html`<form class="inline card" method="get" action="/console/people/open">
      <label for="person-id">${t.openById}</label>
      <input id="person-id" name="id" required pattern="[0-9a-fA-F-]{36}" class="ltr" dir="ltr" />
      <button type="submit">${t.open}</button>
    </form>`;
    if (!roleAtLeast(session.role, 'organizer')) {
      await sendConsolePage(
        reply,
        renderConsolePage({
          session,
          title: t.title,
          path: '/console/people',
          body: html`${notice}
            <p>${t.viewerIntro}</p>
            ${openById}`,
        }),
      );
      return;
    }
    const found = await this.people.list(filters, limit, cursor);
    // Without a sync window the list holds no tombstones; the type allows them.
    const page = { ...found, items: found.items.filter((p): p is PersonRow => !('erased' in p)) };
    await this.audit.record(req, {
      action: 'people.list',
      targetType: 'person',
      details: { filters: auditableFilters(filters), rows: page.items.length, via: 'console' },
    });
    const keep = FILTERS.filter((f) => filters[f] !== undefined).map((f) => `${f}=${encodeURIComponent(String(filters[f]))}`);
    const next = page.nextCursor ? `/console/people?${[...keep, `cursor=${encodeURIComponent(page.nextCursor)}`].join('&')}` : null;
    const body = html`${notice}${this.searchForm(t, filters)}
    ${page.items.length === 0 ? html`<p role="status">${t.noResults}</p>` : this.resultsTable(session, t, page.items)}
    ${next ? html`<p><a href="${next}" rel="next">${t.nextPage}</a></p>` : html``} ${openById}`;
    await sendConsolePage(reply, renderConsolePage({ session, title: t.title, path: '/console/people', body }));
  }

  /** The id form of the people page: a plain GET to the person's page. */
  @Get('open')
  @ConsoleAuth('viewer')
  async open(@Query('id') id: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const clean = (id ?? '').trim().toLowerCase();
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(clean)) throw new BadRequestException('id must be a UUID');
    await reply.status(303).header('location', `/console/people/${clean}`).send();
  }

  @Get(':id')
  @ConsoleAuth('viewer')
  async person(
    @CurrentSession() session: ConsoleSession,
    @Param('id', UuidPipe) id: string,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const t = consolePeopleMessages(session.lang);
    const person = await this.people.get(id);
    const timeline = await this.timelines.timeline(id);
    // Recorded before the page leaves, as the API's @Audited does: no read the log missed.
    await this.audit.record(req, { action: 'person.read', targetType: 'person', targetId: id, details: { via: 'console' } });
    const organizer = roleAtLeast(session.role, 'organizer');
    const date = (d: Date | string | null): string => (d ? formatDateTime(session.lang, d) : '');
    const name = [person.givenName, person.familyName].filter(Boolean).join(' ');
    const details = html`<dl class="card">
      <dt>${t.email}</dt>
      <dd><bdi class="ltr">${person.email}</bdi></dd>
      <dt>${t.name}</dt>
      <dd>${typed(name)}</dd>
      <dt>${t.country}</dt>
      <dd>${person.country ?? ''}</dd>
      <dt>${t.postalCode}</dt>
      <dd>${typed(person.postalCode)}</dd>
      <dt>${t.language}</dt>
      <dd>${person.language ?? ''}</dd>
      <dt>${t.confirmed}</dt>
      <dd>${person.confirmedAt ? date(person.confirmedAt) : t.notConfirmed}</dd>
      <dt>${t.created}</dt>
      <dd>${date(person.createdAt)}</dd>
    </dl>`;
    const tagItems = person.tags.map(
      (tag) =>
        html`<li>
          <bdi>${tag}</bdi>
          ${
            organizer
              ? html`<form class="inline" method="post" action="/console/people/${person.id}/tags/remove">
                  ${csrfField(session)}<input type="hidden" name="tag" value="${tag}" />
                  <button type="submit" class="secondary" aria-label="${t.removeTagLabel.replace('{tag}', tag)}">${t.removeTag}</button>
                </form>`
              : html``
          }
        </li>`,
    );
    const tags = html`<section aria-labelledby="tags-h">
      <h2 id="tags-h">${t.tags}</h2>
      ${
        person.tags.length
          ? html`<ul>
              ${tagItems}
            </ul>`
          : html`<p>${t.noTags}</p>`
      }
      ${
        organizer
          ? html`<form class="inline" method="post" action="/console/people/${person.id}/tags">
              ${csrfField(session)}
              <label for="new-tag">${t.addTagLabel}</label>
              <input id="new-tag" name="tag" required maxlength="64" pattern="[a-z0-9]+(-[a-z0-9]+)*" aria-describedby="new-tag-help" />
              <span id="new-tag-help" class="help">${t.tagHelp}</span>
              <button type="submit">${t.addTag}</button>
            </form>`
          : html``
      }
    </section>`;
    const rows = timeline.map(
      (e) =>
        html`<tr>
          <td>${date(e.at)}</td>
          <td>${t.sections[e.section as keyof ConsolePeopleMessages['sections']] ?? e.section}</td>
          <td>${t.events[e.event]}</td>
          <td>${typed(e.subject)}</td>
          <td>${e.status ?? ''}</td>
        </tr>`,
    );
    const history = html`<section aria-labelledby="timeline-h">
      <h2 id="timeline-h">${t.timeline}</h2>
      ${
        timeline.length === 0
          ? html`<p>${t.noTimeline}</p>`
          : html`<table>
              <caption>
                ${t.timelineCaption}
              </caption>
              <thead>
                <tr>
                  <th scope="col">${t.when}</th>
                  <th scope="col">${t.what}</th>
                  <th scope="col">${t.event}</th>
                  <th scope="col">${t.about}</th>
                  <th scope="col">${t.status}</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>`
      }
    </section>`;
    const tools = organizer
      ? html`<section aria-labelledby="access-h">
            <h2 id="access-h">${t.accessTitle}</h2>
            <p><a href="/console/people/${person.id}/export" download>${t.accessDownload}</a></p>
          </section>
          <section aria-labelledby="erase-h" class="card">
            <h2 id="erase-h">${t.eraseTitle}</h2>
            <p>${t.eraseText}</p>
            <form class="stack" method="post" action="/console/people/${person.id}/erase">
              ${csrfField(session)}
              <label for="erase-confirm">${t.eraseConfirmLabel}</label>
              <input id="erase-confirm" name="confirm" required autocomplete="off" class="ltr" dir="ltr" />
              <button type="submit" class="danger">${t.eraseButton}</button>
            </form>
          </section>`
      : html``;
    const back = organizer ? html`<p><a href="/console/people">${t.backToSearch}</a></p>` : html``;
    const title = `${t.personTitle}: ${name || person.email}`;
    await sendConsolePage(
      reply,
      renderConsolePage({ session, title, path: '/console/people', body: html`${details}${tags}${history}${tools}${back}` }),
    );
  }

  /** Subject access: everything held about the person, as the API's JSON, downloaded. */
  @Get(':id/export')
  @ConsoleAuth('organizer')
  async accessExport(@Param('id', UuidPipe) id: string, @Req() req: ConsoleRequest, @Res() reply: FastifyReply): Promise<void> {
    const data = await this.people.accessExport(id);
    await this.audit.record(req, { action: 'person.access-export', targetType: 'person', targetId: id, details: { via: 'console' } });
    await reply
      .status(200)
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="person-${id}.json"`)
      .send(JSON.stringify(data, null, 2));
  }

  @Post(':id/tags')
  @ConsoleAuth('organizer')
  async tag(
    @Param('id', UuidPipe) id: string,
    @Body() form: TagForm,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.people.tag(id, form.tag);
    await this.audit.record(req, {
      action: 'person.tag',
      targetType: 'person',
      targetId: id,
      details: { params: { tag: form.tag }, via: 'console' },
    });
    await reply.status(303).header('location', `/console/people/${id}`).send();
  }

  @Post(':id/tags/remove')
  @ConsoleAuth('organizer')
  async untag(
    @Param('id', UuidPipe) id: string,
    @Body() form: TagForm,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.people.untag(id, form.tag);
    await this.audit.record(req, {
      action: 'person.untag',
      targetType: 'person',
      targetId: id,
      details: { params: { tag: form.tag }, via: 'console' },
    });
    await reply.status(303).header('location', `/console/people/${id}`).send();
  }

  /** Erasure, when the organizer typed the person's address again (compared as addresses are: trimmed, without regard to case). */
  @Post(':id/erase')
  @ConsoleAuth('organizer')
  async erase(
    @CurrentSession() session: ConsoleSession,
    @Param('id', UuidPipe) id: string,
    @Body() form: EraseForm,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const person = await this.people.get(id);
    if (normalizeEmail(form.confirm) !== normalizeEmail(person.email)) {
      throw new BadRequestException(consolePeopleMessages(session.lang).eraseMismatch);
    }
    await this.erasure.erase(req as AuthenticatedRequest, id);
    await reply.status(303).header('location', '/console/people?erased=1').send();
  }

  private searchForm(t: ConsolePeopleMessages, filters: Record<string, unknown>): SafeHtml {
    const value = (key: string): string => {
      const v = filters[key];
      return typeof v === 'string' || typeof v === 'boolean' ? String(v) : '';
    };
    const field = (key: string, label: string, attrs: SafeHtml = html``): SafeHtml =>
      html`<div class="field">
        <label for="f-${key}">${label}</label>
        <input id="f-${key}" name="${key}" value="${value(key)}" ${attrs} />
      </div>`;
    const confirmed = value('confirmed');
    return html`<form class="card" method="get" action="/console/people" role="search">
      ${field('email', t.email, html`type="email" class="ltr" dir="ltr"`)} ${field('name', t.namePrefix)}
      ${field('country', t.country, html`maxlength="2" class="ltr" dir="ltr"`)}
      ${field('language', t.language, html`maxlength="35" class="ltr" dir="ltr"`)} ${field('list', t.list, html`class="ltr" dir="ltr"`)}
      ${field('tag', t.tag, html`class="ltr" dir="ltr"`)}
      <div class="field">
        <label for="f-confirmed">${t.confirmed}</label>
        <select id="f-confirmed" name="confirmed">
          <option value="" ${confirmed === '' ? html`selected` : html``}>${t.any}</option>
          <option value="true" ${confirmed === 'true' ? html`selected` : html``}>${t.confirmedYes}</option>
          <option value="false" ${confirmed === 'false' ? html`selected` : html``}>${t.confirmedNo}</option>
        </select>
      </div>
      <button type="submit">${t.search}</button>
    </form>`;
  }

  private resultsTable(session: ConsoleSession, t: ConsolePeopleMessages, items: PersonRow[]): SafeHtml {
    return html`<table>
      <caption>
        ${t.resultsCaption}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.email}</th>
          <th scope="col">${t.name}</th>
          <th scope="col">${t.country}</th>
          <th scope="col">${t.language}</th>
          <th scope="col">${t.confirmed}</th>
          <th scope="col">${t.created}</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (p) =>
            html`<tr>
              <td>
                <a href="/console/people/${p.id}"><bdi class="ltr">${p.email}</bdi></a>
              </td>
              <td>${typed([p.givenName, p.familyName].filter(Boolean).join(' '))}</td>
              <td>${p.country ?? ''}</td>
              <td>${p.language ?? ''}</td>
              <td>${p.confirmedAt ? t.confirmedYes : t.confirmedNo}</td>
              <td>${formatDateTime(session.lang, p.createdAt)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }
}
