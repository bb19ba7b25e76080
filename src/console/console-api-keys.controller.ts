import { Body, Get, Param, Post, Req, Res } from '@nestjs/common';
import { IsUUID } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { UuidPipe } from '../common/uuid.pipe';
import { OrganizersService } from '../organizers/organizers.service';
import { ConsoleAdminService } from './console-admin.service';
import { ConsoleFormDto } from './console-form.dto';
import { html, SafeHtml } from './console-html';
import { csrfField, renderConsolePage, sendConsolePage } from './console-layout';
import { consoleMessages, formatDateTime, roleName } from './console-messages';
import { registerConsoleNav } from './console-nav';
import type { ConsoleRequest, ConsoleSession } from './console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from './console-session.guard';

registerConsoleNav({
  id: 'api-keys',
  path: '/console/api-keys',
  label: (l) => consoleMessages(l).navApiKeys,
  minRole: 'admin',
  order: 110,
});

export class CreateKeyForm extends ConsoleFormDto {
  @IsUUID()
  organizerId!: string;
}

/** `/console/api-keys` (admin): keys for programs, created (shown once) and revoked, on the organizer API's services. */
@ConsoleController('console/api-keys')
@ConsoleAuth('admin')
export class ConsoleApiKeysController {
  constructor(
    private readonly organizers: OrganizersService,
    private readonly admin: ConsoleAdminService,
  ) {}

  @Get()
  async list(@CurrentSession() session: ConsoleSession, @Res() reply: FastifyReply): Promise<void> {
    await this.render(reply, session, html``);
  }

  @Post()
  async create(
    @CurrentSession() session: ConsoleSession,
    @Body() form: CreateKeyForm,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const key = await this.admin.createApiKey(req, form.organizerId);
    const t = consoleMessages(session.lang);
    await this.render(
      reply,
      session,
      html`<div class="notice" role="status"><p>${t.keyCreatedText}</p><p><code class="secret" id="new-api-key">${key}</code></p></div>`,
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
    await this.admin.revokeApiKey(req, id);
    await this.render(reply, session, html`<p class="notice" role="status">${consoleMessages(session.lang).keyRevokedText}</p>`);
  }

  private async render(reply: FastifyReply, session: ConsoleSession, notice: SafeHtml): Promise<void> {
    const t = consoleMessages(session.lang);
    const [keys, organizers] = await Promise.all([this.organizers.listApiKeys(), this.organizers.list(500)]);
    const active = organizers.items.filter((o) => !o.revokedAt);
    const rows = keys.map(
      (k) => html`<tr><td class="ltr"><code>${k.keyPrefix}…</code></td><td class="ltr">${k.email} (${roleName(t, k.role)})</td>
<td>${formatDateTime(session.lang, k.createdAt)}</td><td>${k.lastUsedAt ? formatDateTime(session.lang, k.lastUsedAt) : '—'}</td>
<td>${
        k.revokedAt
          ? html`${formatDateTime(session.lang, k.revokedAt)}`
          : html`<form class="inline" method="post" action="/console/api-keys/${k.id}/revoke">${csrfField(session)}<button type="submit" class="danger">${t.revokeKey}</button></form>`
      }</td></tr>`,
    );
    const body = html`<p>${t.apiKeysIntro}</p>${notice}
<section aria-labelledby="create-heading">
<h2 id="create-heading">${t.createKey}</h2>
<form class="stack" method="post" action="/console/api-keys">${csrfField(session)}
<div class="field"><label for="key-organizer">${t.fieldOrganizer}</label><select id="key-organizer" name="organizerId">${active.map(
      (o) => html`<option value="${o.id}">${o.email} (${roleName(t, o.role)})</option>`,
    )}</select></div>
<p><button type="submit">${t.createKey}</button></p>
</form>
</section>
${
  keys.length === 0
    ? html`<p>${t.noKeys}</p>`
    : html`<table><caption>${t.apiKeysTitle}</caption>
<thead><tr><th scope="col">${t.colKey}</th><th scope="col">${t.colOrganizer}</th><th scope="col">${t.colCreated}</th><th scope="col">${t.colLastUsed}</th><th scope="col">${t.colActions}</th></tr></thead>
<tbody>${rows}</tbody></table>`
}`;
    await sendConsolePage(reply, renderConsolePage({ session, title: t.apiKeysTitle, body, path: '/console/api-keys' }));
  }
}
