import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { isCursor } from '../common/pagination';
import { UuidPipe } from '../common/uuid.pipe';
import { EmailAddress } from '../common/validators';
import { ROLES } from '../organizers/organizer.entity';
import type { Role } from '../organizers/organizer.entity';
import { OrganizersService } from '../organizers/organizers.service';
import { ConsoleAdminService } from './console-admin.service';
import { ConsoleFormDto } from './console-form.dto';
import { html, SafeHtml } from './console-html';
import { csrfField, renderConsolePage, sendConsolePage } from './console-layout';
import { consoleMessages, fill, formatDateTime, roleName } from './console-messages';
import { registerConsoleNav } from './console-nav';
import type { ConsoleRequest, ConsoleSession } from './console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from './console-session.guard';

registerConsoleNav({
  id: 'organizers',
  path: '/console/organizers',
  label: (l) => consoleMessages(l).navOrganizers,
  minRole: 'admin',
  order: 100,
});

export class InviteForm extends ConsoleFormDto {
  @EmailAddress()
  email!: string;

  @IsIn(ROLES)
  role!: Role;
}

export class RoleForm extends ConsoleFormDto {
  @IsIn(ROLES)
  role!: Role;
}

export class OrganizersQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** `/console/organizers` (admin): invite, change role, revoke, reset sign-in. */
@ConsoleController('console/organizers')
@ConsoleAuth('admin')
export class ConsoleOrganizersController {
  constructor(
    private readonly organizers: OrganizersService,
    private readonly admin: ConsoleAdminService,
  ) {}

  @Get()
  async list(@CurrentSession() session: ConsoleSession, @Query() query: OrganizersQuery, @Res() reply: FastifyReply): Promise<void> {
    await this.render(reply, session, html``, query.cursor);
  }

  @Post()
  async invite(
    @CurrentSession() session: ConsoleSession,
    @Body() form: InviteForm,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.admin.invite(req, session, form.email, form.role);
    const t = consoleMessages(session.lang);
    await this.render(reply, session, html`<p class="notice" role="status">${fill(t.invitedText, { email: form.email })}</p>`);
  }

  @Post(':id/role')
  async role(
    @CurrentSession() session: ConsoleSession,
    @Param('id', UuidPipe) id: string,
    @Body() form: RoleForm,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.organizers.findActive(id);
    await this.admin.changeRole(req, session, id, form.role);
    const t = consoleMessages(session.lang);
    await this.render(
      reply,
      session,
      html`<p class="notice" role="status">${fill(t.roleChanged, { email: target?.email ?? id, role: roleName(t, form.role) })}</p>`,
    );
  }

  @Post(':id/revoke')
  async revoke(
    @CurrentSession() session: ConsoleSession,
    @Param('id', UuidPipe) id: string,
    @Body() _form: ConsoleFormDto,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const target = await this.organizers.findActive(id);
    await this.admin.revoke(req, session, id);
    const t = consoleMessages(session.lang);
    await this.render(reply, session, html`<p class="notice" role="status">${fill(t.revokedText, { email: target?.email ?? id })}</p>`);
  }

  @Post(':id/reset')
  async reset(
    @CurrentSession() session: ConsoleSession,
    @Param('id', UuidPipe) id: string,
    @Body() _form: ConsoleFormDto,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const email = await this.admin.reset(req, session, id);
    const t = consoleMessages(session.lang);
    await this.render(reply, session, html`<p class="notice" role="status">${fill(t.resetDone, { email })}</p>`);
  }

  private async render(reply: FastifyReply, session: ConsoleSession, notice: SafeHtml, cursor?: string): Promise<void> {
    const t = consoleMessages(session.lang);
    const page = await this.organizers.list(50, cursor && isCursor(cursor) ? cursor : undefined);
    const roleOptions = (current: Role | null): SafeHtml[] =>
      ROLES.map((r) => html`<option value="${r}"${r === current ? html` selected` : ''}>${roleName(t, r)}</option>`);
    const rows = page.items.map((o) => {
      const self = o.id === session.organizerId;
      const actions =
        o.revokedAt || self
          ? html``
          : html`<form class="inline" method="post" action="/console/organizers/${o.id}/role">${csrfField(session)}
<label for="role-${o.id}">${t.fieldRole}</label><select id="role-${o.id}" name="role">${roleOptions(o.role)}</select>
<button type="submit" class="secondary">${t.changeRole}</button></form>
<form class="inline" method="post" action="/console/organizers/${o.id}/reset">${csrfField(session)}<button type="submit" class="secondary">${t.reset}</button></form>
<form class="inline" method="post" action="/console/organizers/${o.id}/revoke">${csrfField(session)}<button type="submit" class="danger">${t.revoke}</button></form>`;
      return html`<tr><td class="ltr">${o.email} ${self ? t.you : ''}</td><td>${roleName(t, o.role)}</td><td>${formatDateTime(session.lang, o.createdAt)}</td>
<td>${o.revokedAt ? fill(t.statusRevoked, { date: formatDateTime(session.lang, o.revokedAt) }) : t.statusActive}</td><td>${actions}</td></tr>`;
    });
    const body = html`${notice}
<section aria-labelledby="invite-heading">
<h2 id="invite-heading">${t.inviteOrganizer}</h2>
<form class="stack" method="post" action="/console/organizers">${csrfField(session)}
<div class="field"><label for="invite-email">${t.fieldEmail}</label><input type="email" id="invite-email" name="email" required maxlength="254"></div>
<div class="field"><label for="invite-role">${t.fieldRole}</label><select id="invite-role" name="role">${roleOptions('organizer')}</select></div>
<p><button type="submit">${t.inviteSubmit}</button></p>
</form>
</section>
<table>
<caption>${t.organizersTitle}</caption>
<thead><tr><th scope="col">${t.colEmail}</th><th scope="col">${t.colRole}</th><th scope="col">${t.colCreated}</th><th scope="col">${t.colStatus}</th><th scope="col">${t.colActions}</th></tr></thead>
<tbody>${rows}</tbody>
</table>
${page.nextCursor ? html`<p><a href="/console/organizers?cursor=${page.nextCursor}">${t.nextPage}</a></p>` : ''}`;
    await sendConsolePage(reply, renderConsolePage({ session, title: t.organizersTitle, body, path: '/console/organizers' }));
  }
}
