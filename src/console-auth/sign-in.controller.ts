import { Body, Get, Post, Query, Req, Res } from '@nestjs/common';
import { HttpCode, UnauthorizedException } from '@nestjs/common';
import { IsObject, IsOptional, IsString, MaxLength } from 'class-validator';
import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { AppConfig } from '../config/app-config';
import { ConsoleFormDto } from '../console/console-form.dto';
import { sendConsolePage } from '../console/console-layout';
import { ConsoleController, ConsolePublic } from '../console/console-session.guard';
import { ConsoleSessionsService } from '../console/console-sessions.service';
import { pageLanguage } from '../web/i18n';
import { ConsoleAuthRepository } from './console-auth.repository';
import { signInPage } from './console-auth-pages';
import { PasskeysService } from './passkeys.service';
import { SignInThrottle } from './sign-in-throttle.service';
import { SignedIn, SignInService } from './sign-in.service';

export class SignInForm extends ConsoleFormDto {
  @IsString()
  @MaxLength(254)
  email!: string;

  @IsString()
  @MaxLength(200)
  password!: string;

  @IsString()
  @MaxLength(20)
  code!: string;
}

/** The browser's answer to a passkey ceremony (SimpleWebAuthn's JSON), checked by the library. */
export class PasskeyAnswer extends ConsoleFormDto {
  @IsString()
  @MaxLength(64)
  ceremony!: string;

  @IsObject()
  response!: Record<string, unknown>;
}

export class LangQuery {
  @IsOptional()
  @IsString()
  @MaxLength(10)
  lang?: string;

  @IsOptional()
  @IsString()
  @MaxLength(1)
  'signed-out'?: string;
}

/** `/console/sign-in`: a passkey, or email + password + TOTP code, or email + password + a recovery code. */
@ConsoleController('console/sign-in')
@ConsolePublic()
export class SignInController {
  constructor(
    private readonly signIn: SignInService,
    private readonly passkeys: PasskeysService,
    private readonly throttle: SignInThrottle,
    private readonly sessions: ConsoleSessionsService,
    private readonly repo: ConsoleAuthRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  private view(): { rpId: string | null; host: string } {
    return { rpId: this.config.passkeyRpId, host: new URL(this.config.publicUrl).hostname };
  }

  @Get()
  async page(@Query() query: LangQuery, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const lang = pageLanguage(query.lang, req.headers['accept-language']);
    await sendConsolePage(reply, signInPage(lang, { ...this.view(), signedOut: query['signed-out'] === '1' }));
  }

  /** One answer for every failure (401, the same page), so nobody learns which addresses have accounts. */
  @Post()
  async password(
    @Body() form: SignInForm,
    @Query() query: LangQuery,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const signedIn = await this.signIn.withPassword(req.ip, form.email, form.password, form.code);
    if (!signedIn) {
      const lang = pageLanguage(query.lang, req.headers['accept-language']);
      await sendConsolePage(reply, signInPage(lang, { ...this.view(), failed: true }), 401);
      return;
    }
    await this.startSession(req, reply, signedIn);
    await reply.status(303).header('location', '/console').send();
  }

  @Post('passkey/options')
  @HttpCode(200)
  async passkeyOptions(@Req() req: FastifyRequest): Promise<{ ceremony: string; options: PublicKeyCredentialRequestOptionsJSON }> {
    await this.throttle.hit(req.ip);
    return this.passkeys.authenticationOptions();
  }

  @Post('passkey')
  @HttpCode(200)
  async passkey(
    @Body() answer: PasskeyAnswer,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ redirect: string }> {
    await this.throttle.hit(req.ip);
    const signedIn = await this.passkeys.verifyAuthentication(answer.ceremony, answer.response as unknown as AuthenticationResponseJSON);
    if (!signedIn) throw new UnauthorizedException('The passkey was not accepted');
    await this.startSession(req, reply, signedIn);
    return { redirect: '/console' };
  }

  /** A new session (a new id: any planted one is ended, never promoted) and its audit entry. */
  async startSession(req: FastifyRequest, reply: FastifyReply, signedIn: SignedIn): Promise<void> {
    const organizer = await this.repo.findActiveOrganizer(signedIn.organizerId);
    if (!organizer) return;
    await this.sessions.start(req, reply, { ...organizer, role: signedIn.role, language: signedIn.language });
    await this.audit.record(Object.assign(req, { organizer: { organizerId: signedIn.organizerId, apiKeyId: null } }), {
      action: 'console.sign-in',
      targetType: 'organizer',
      targetId: signedIn.organizerId,
      details: { via: signedIn.via },
    });
  }
}
