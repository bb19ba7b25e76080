import { Body, Get, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply } from 'fastify';
import { UnauthorizedException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { UuidPipe } from '../common/uuid.pipe';
import { AppConfig } from '../config/app-config';
import { PASSKEY_SCRIPTS } from '../console/console-assets.controller';
import { ConsoleFormDto } from '../console/console-form.dto';
import { html } from '../console/console-html';
import { csrfField, renderConsolePage, sendConsolePage } from '../console/console-layout';
import { consoleMessages, fill, formatDateTime } from '../console/console-messages';
import { registerConsoleNav } from '../console/console-nav';
import type { ConsoleRequest, ConsoleSession } from '../console/console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from '../console/console-session.guard';
import { ConsoleAuthRepository } from './console-auth.repository';
import { recoveryCodesPage } from './console-auth-pages';
import { EnrollmentService } from './enrollment.service';
import { PasskeysService } from './passkeys.service';
import { PasskeyAnswer } from './sign-in.controller';

registerConsoleNav({
  id: 'security',
  path: '/console/security',
  label: (l) => consoleMessages(l).navSecurity,
  minRole: 'viewer',
  order: 90,
});

/** `/console/security`: an organizer's own passkeys (add, remove) and recovery codes (regenerate). */
@ConsoleController('console/security')
@ConsoleAuth('viewer')
export class SecurityController {
  constructor(
    private readonly repo: ConsoleAuthRepository,
    private readonly passkeys: PasskeysService,
    private readonly enrollment: EnrollmentService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async page(@CurrentSession() session: ConsoleSession, @Res() reply: FastifyReply): Promise<void> {
    const t = consoleMessages(session.lang);
    const [passkeys, left, hasPassword] = await Promise.all([
      this.repo.passkeysOf(session.organizerId),
      this.repo.unusedRecoveryCodes(session.organizerId),
      this.repo.hasPassword(session.organizerId),
    ]);
    const rpId = this.config.passkeyRpId;
    const body = html`<section aria-labelledby="passkeys-heading">
<h2 id="passkeys-heading">${t.passkeysTitle}</h2>
${passkeys.length === 0 ? html`<p>${t.noPasskeys}</p>` : ''}
<ul>${passkeys.map(
      (p) => html`<li>${fill(t.passkeyAdded, { date: formatDateTime(session.lang, p.createdAt) })}${
        p.lastUsedAt ? html`, ${fill(t.lastUsed, { date: formatDateTime(session.lang, p.lastUsedAt) })}` : ''
      }
<form class="inline" method="post" action="/console/security/passkeys/${p.id}/delete">${csrfField(session)}<button type="submit" class="secondary">${t.removePasskey}</button></form></li>`,
    )}</ul>
${
  rpId
    ? html`<div data-passkey-block hidden><p><button type="button" id="passkey-button" data-passkey="register" data-options="/console/security/passkeys/options"
 data-verify="/console/security/passkeys" data-status="passkey-status" data-csrf="${session.csrfToken}" data-working="${t.passkeyWorking}" data-failed="${t.passkeyFailed}">${t.addPasskey}</button></p>
<p id="passkey-status" role="status" hidden></p></div><p class="help" data-passkey-noscript>${t.passkeyNoScript}</p>`
    : html`<p class="notice">${fill(t.passkeyUnavailable, { host: new URL(this.config.publicUrl).hostname })}</p>`
}
</section>
<section aria-labelledby="password-heading">
<h2 id="password-heading">${t.fieldPassword}</h2>
<p>${hasPassword ? t.passwordOn : t.passwordOff}</p>
</section>
<section aria-labelledby="recovery-heading">
<h2 id="recovery-heading">${t.recoveryTitle}</h2>
<p id="recovery-left">${fill(t.recoveryLeft, { count: left })}</p>
<form method="post" action="/console/security/recovery-codes">${csrfField(session)}
<p class="help">${t.recoveryRegenerateHelp}</p>
<p><button type="submit">${t.recoveryRegenerate}</button></p>
</form>
</section>`;
    await sendConsolePage(
      reply,
      renderConsolePage({ session, title: t.securityTitle, body, path: '/console/security', scripts: rpId ? PASSKEY_SCRIPTS : [] }),
    );
  }

  @Post('passkeys/options')
  @HttpCode(200)
  passkeyOptions(
    @CurrentSession() session: ConsoleSession,
  ): Promise<{ ceremony: string; options: PublicKeyCredentialCreationOptionsJSON }> {
    return this.passkeys.registrationOptions(session);
  }

  @Post('passkeys')
  @HttpCode(200)
  async addPasskey(
    @CurrentSession() session: ConsoleSession,
    @Body() answer: PasskeyAnswer,
    @Req() req: ConsoleRequest,
  ): Promise<{ redirect: string }> {
    const verified = await this.passkeys.verifyRegistration(
      session.organizerId,
      answer.ceremony,
      answer.response as unknown as RegistrationResponseJSON,
    );
    if (!verified) throw new UnauthorizedException('The passkey was not accepted');
    await this.repo.insertPasskey(undefined, { ...verified, organizerId: session.organizerId, name: 'passkey' });
    await this.audit.record(req, { action: 'console.passkey.add', targetType: 'organizer', targetId: session.organizerId });
    return { redirect: '/console/security' };
  }

  @Post('passkeys/:id/delete')
  async removePasskey(
    @CurrentSession() session: ConsoleSession,
    @Param('id', UuidPipe) id: string,
    @Body() _form: ConsoleFormDto,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.passkeys.remove(session.organizerId, id);
    await this.audit.record(req, { action: 'console.passkey.remove', targetType: 'organizer', targetId: session.organizerId });
    await reply.status(303).header('location', '/console/security').send();
  }

  /** Ten new codes, shown once on the answer page; the old ones stop working. */
  @Post('recovery-codes')
  async regenerate(
    @CurrentSession() session: ConsoleSession,
    @Body() _form: ConsoleFormDto,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const codes = await this.enrollment.regenerateRecoveryCodes(session.organizerId);
    await this.audit.record(req, { action: 'console.recovery-codes.regenerate', targetType: 'organizer', targetId: session.organizerId });
    await sendConsolePage(reply, recoveryCodesPage(session, codes));
  }
}
