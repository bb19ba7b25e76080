import { Get, Query, Res } from '@nestjs/common';
import { IsDateString, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { isCursor } from '../common/pagination';
import { OrganizersService } from '../organizers/organizers.service';
import { html } from './console-html';
import { renderConsolePage, sendConsolePage } from './console-layout';
import { consoleMessages, formatDateTime } from './console-messages';
import { registerConsoleNav } from './console-nav';
import type { ConsoleSession } from './console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from './console-session.guard';

registerConsoleNav({ id: 'audit', path: '/console/audit', label: (l) => consoleMessages(l).navAudit, minRole: 'admin', order: 120 });

const empty = (v: unknown): boolean => v === undefined || v === '';

/** The filter form's fields; an empty field filters nothing (forms send every field). */
export class AuditQuery {
  @ValidateIf((q: AuditQuery) => !empty(q.who))
  @IsUUID()
  who?: string;

  @ValidateIf((q: AuditQuery) => !empty(q.what))
  @MaxLength(100)
  @Matches(/^[a-z0-9.-]+$/, { message: 'what must be a dotted action name, such as export. or person.erase' })
  what?: string;

  @ValidateIf((q: AuditQuery) => !empty(q.from))
  @IsDateString({ strict: true })
  from?: string;

  @ValidateIf((q: AuditQuery) => !empty(q.to))
  @IsDateString({ strict: true })
  to?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** `/console/audit` (admin, as the API's log): who, what, when; newest first, keyset pages. */
@ConsoleController('console/audit')
@ConsoleAuth('admin')
export class ConsoleAuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly organizers: OrganizersService,
  ) {}

  @Get()
  async list(@CurrentSession() session: ConsoleSession, @Query() query: AuditQuery, @Res() reply: FastifyReply): Promise<void> {
    const t = consoleMessages(session.lang);
    const day = (value: string): Date => new Date(`${value.slice(0, 10)}T00:00:00Z`);
    const until = query.to ? new Date(day(query.to).getTime() + 86_400_000) : undefined;
    const [page, organizers] = await Promise.all([
      this.audit.list(50, query.cursor && isCursor(query.cursor) ? query.cursor : undefined, query.what || undefined, {
        organizerId: query.who || undefined,
        from: query.from ? day(query.from) : undefined,
        until,
      }),
      this.organizers.list(500),
    ]);
    const emails = new Map(organizers.items.map((o) => [o.id, o.email]));
    const next = new URLSearchParams({
      who: query.who ?? '',
      what: query.what ?? '',
      from: query.from ?? '',
      to: query.to ?? '',
      cursor: page.nextCursor ?? '',
    });
    const rows = page.items.map(
      (
        e,
      ) => html`<tr><td>${formatDateTime(session.lang, e.createdAt)}</td><td class="ltr">${e.organizerId ? (emails.get(e.organizerId) ?? e.organizerId) : t.platform}</td>
<td class="ltr">${e.action}</td><td class="ltr">${e.targetType ? `${e.targetType} ${e.targetId ?? ''}` : ''}</td><td class="ltr">${
        Object.keys(e.details ?? {}).length > 0 ? JSON.stringify(e.details) : ''
      }</td></tr>`,
    );
    const body = html`<form class="stack" method="get" action="/console/audit">
<div class="field"><label for="who">${t.filterWho}</label><select id="who" name="who"><option value="">${t.anyone}</option>${organizers.items.map(
      (o) => html`<option value="${o.id}"${o.id === query.who ? html` selected` : ''}>${o.email}</option>`,
    )}</select></div>
<div class="field"><label for="what">${t.filterWhat}</label><input type="text" id="what" name="what" value="${query.what ?? ''}" maxlength="100" class="ltr"></div>
<div class="field"><label for="from">${t.filterFrom}</label><input type="date" id="from" name="from" value="${query.from ?? ''}"></div>
<div class="field"><label for="to">${t.filterTo}</label><input type="date" id="to" name="to" value="${query.to ?? ''}"></div>
<p><button type="submit">${t.filterSubmit}</button></p>
</form>
${
  page.items.length === 0
    ? html`<p id="audit-empty">${t.noEntries}</p>`
    : html`<table id="audit-entries"><caption>${t.auditTitle}</caption>
<thead><tr><th scope="col">${t.colWhen}</th><th scope="col">${t.colWho}</th><th scope="col">${t.colWhat}</th><th scope="col">${t.colTarget}</th><th scope="col">${t.colDetails}</th></tr></thead>
<tbody>${rows}</tbody></table>`
}
${page.nextCursor ? html`<p><a href="/console/audit?${next.toString()}">${t.nextPage}</a></p>` : ''}`;
    await sendConsolePage(reply, renderConsolePage({ session, title: t.auditTitle, body, path: '/console/audit' }));
  }
}
