import { Body, Get, GoneException, HttpCode, NotFoundException, Param, Post, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { EmailAddress } from '../common/validators';
import { RequestValidationException } from '../common/validation';
import { AppConfig } from '../config/app-config';
import { ConsoleFormDto } from '../console/console-form.dto';
import { sendConsolePage } from '../console/console-layout';
import { ConsoleController, ConsolePublic } from '../console/console-session.guard';
import { ConsoleSessionsService } from '../console/console-sessions.service';
import { consoleMessages } from '../console/console-messages';
import type { ConsoleSession } from '../console/console-session';
import type { InvitationRow } from './console-auth.repository';
import { pageLanguage } from '../web/i18n';
import { invalidInvitationPage, invitationPage, recoveryCodesPage, setupPage } from './console-auth-pages';
import { Enrolled, EnrollmentService } from './enrollment.service';
import { InvitationsService } from './invitations.service';
import { PasskeysService } from './passkeys.service';
import { LangQuery, PasskeyAnswer } from './sign-in.controller';
import { ConsoleAuthRepository } from './console-auth.repository';

export class SetupForm extends ConsoleFormDto {
  @EmailAddress()
  email!: string;
}

export class PasswordEnrollForm extends ConsoleFormDto {
  @IsString()
  @MaxLength(300)
  password!: string;

  @IsString()
  @MaxLength(64)
  totpSecret!: string;

  @IsString()
  @MaxLength(64)
  totpMac!: string;

  @IsString()
  @MaxLength(20)
  code!: string;

  /** The username field password managers want beside a new password; ignored. */
  @IsOptional()
  @IsString()
  @MaxLength(254)
  username?: string;
}

/** `/console/invitations/{token}`: the invitee enrolls a passkey, or a password and a TOTP app. */
@ConsoleController('console/invitations')
@ConsolePublic()
export class InvitationsController {
  constructor(
    private readonly invitations: InvitationsService,
    private readonly enrollment: EnrollmentService,
    private readonly passkeys: PasskeysService,
    private readonly repo: ConsoleAuthRepository,
    private readonly sessions: ConsoleSessionsService,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  @Get(':token')
  async page(
    @Param('token') token: string,
    @Query() query: LangQuery,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const lang = pageLanguage(query.lang, req.headers['accept-language']);
    const invitation = await this.invitations.find(token);
    if (!invitation) return sendConsolePage(reply, invalidInvitationPage(lang), 404);
    if (!invitation.organizerId) return sendConsolePage(reply, setupPage(lang, token));
    await sendConsolePage(reply, invitationPage(lang, this.view(token, invitation)));
  }

  private view(token: string, invitation: InvitationRow): Parameters<typeof invitationPage>[1] {
    return {
      token,
      invitation,
      rpId: this.config.passkeyRpId,
      host: new URL(this.config.publicUrl).hostname,
      totp: this.enrollment.offerTotp(invitation),
    };
  }

  /** The set-up link's first step: the first admin's address. */
  @Post(':token/setup')
  async setup(
    @Param('token') token: string,
    @Body() form: SetupForm,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const lang = pageLanguage(undefined, req.headers['accept-language']);
    const invitation = await this.invitations.find(token);
    if (!invitation || invitation.organizerId) return sendConsolePage(reply, invalidInvitationPage(lang), 404);
    try {
      await this.invitations.createFirstAdmin(invitation, form.email);
    } catch (err) {
      if ((err as { getStatus?: () => number }).getStatus?.() === 409) {
        return sendConsolePage(reply, setupPage(lang, token, consoleMessages(lang).setupTaken), 409);
      }
      throw err;
    }
    await reply.status(303).header('location', `/console/invitations/${token}`).send();
  }

  @Post(':token/password')
  async password(
    @Param('token') token: string,
    @Body() form: PasswordEnrollForm,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const lang = pageLanguage(undefined, req.headers['accept-language']);
    const invitation = await this.invitations.find(token);
    if (!invitation?.organizerId) return sendConsolePage(reply, invalidInvitationPage(lang), 404);
    let enrolled: Enrolled;
    try {
      enrolled = await this.enrollment.enrollPassword(invitation, form, lang);
    } catch (err) {
      if (err instanceof RequestValidationException && !err.details.some((d) => d.field === 'totpSecret')) {
        return sendConsolePage(reply, invitationPage(lang, { ...this.view(token, invitation), problems: err.details }), 400);
      }
      throw err;
    }
    const session = await this.signInEnrolled(req, reply, invitation.email ?? '', enrolled, 'password+totp');
    await sendConsolePage(reply, recoveryCodesPage(session, enrolled.recoveryCodes));
  }

  private async usable(token: string): Promise<InvitationRow & { organizerId: string; email: string }> {
    const invitation = await this.invitations.find(token);
    if (!invitation?.organizerId || !invitation.email) throw new NotFoundException('This invitation cannot be used');
    return invitation as InvitationRow & { organizerId: string; email: string };
  }

  @Post(':token/passkey/options')
  @HttpCode(200)
  async passkeyOptions(@Param('token') token: string): Promise<{ ceremony: string; options: PublicKeyCredentialCreationOptionsJSON }> {
    const invitation = await this.usable(token);
    return this.passkeys.registrationOptions({ organizerId: invitation.organizerId, email: invitation.email });
  }

  /** The passkey is stored and the invitation used in one transaction; the recovery codes come back once. */
  @Post(':token/passkey')
  @HttpCode(200)
  async passkey(
    @Param('token') token: string,
    @Body() answer: PasskeyAnswer,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ redirect: string; recoveryCodes: string[] }> {
    const invitation = await this.usable(token);
    const verified = await this.passkeys.verifyRegistration(
      invitation.organizerId,
      answer.ceremony,
      answer.response as unknown as RegistrationResponseJSON,
    );
    if (!verified) throw new UnauthorizedException('The passkey was not accepted');
    const lang = pageLanguage(undefined, req.headers['accept-language']);
    const enrolled = await this.enrollment.complete(invitation, lang, (tx, organizerId) =>
      this.repo.insertPasskey(tx, { ...verified, organizerId, name: 'passkey' }),
    );
    if (!enrolled) throw new GoneException('This invitation has been used already');
    await this.signInEnrolled(req, reply, invitation.email, enrolled, 'passkey');
    return { redirect: '/console', recoveryCodes: enrolled.recoveryCodes };
  }

  /** The enrolled organizer is signed in at once, and the enrollment recorded. */
  async signInEnrolled(req: FastifyRequest, reply: FastifyReply, email: string, enrolled: Enrolled, via: string): Promise<ConsoleSession> {
    const session = await this.sessions.start(req, reply, {
      organizerId: enrolled.organizerId,
      email,
      role: enrolled.role,
      language: enrolled.language,
    });
    await this.audit.record(Object.assign(req, { organizer: { organizerId: enrolled.organizerId, apiKeyId: null } }), {
      action: 'console.enroll',
      targetType: 'organizer',
      targetId: enrolled.organizerId,
      details: { via },
    });
    return session;
  }
}
