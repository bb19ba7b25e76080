import { Body, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { SUPPORTED_LANGUAGES } from '../common/languages';
import type { SupportedLanguage } from '../common/languages';
import { ConsoleFormDto } from './console-form.dto';
import { html } from './console-html';
import { renderConsolePage, sendConsolePage } from './console-layout';
import { consoleMessages, fill } from './console-messages';
import { consoleNavFor } from './console-nav';
import type { ConsoleRequest, ConsoleSession } from './console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from './console-session.guard';
import { ConsoleSessionsService } from './console-sessions.service';

export class LanguageForm extends ConsoleFormDto {
  @IsIn(SUPPORTED_LANGUAGES)
  lang!: SupportedLanguage;

  /** The page the switch was on, to go back to (a console path only: never another site). */
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @Matches(/^\/console(\/[A-Za-z0-9._~%/-]*)?(\?[A-Za-z0-9._~%&=+-]*)?$/)
  next?: string;
}

/** The console's home (every screen the role may use, by links), sign-out and the language switch. */
@ConsoleController('console')
export class ConsoleHomeController {
  constructor(private readonly sessions: ConsoleSessionsService) {}

  @Get()
  @ConsoleAuth('viewer')
  async home(@CurrentSession() session: ConsoleSession, @Res() reply: FastifyReply): Promise<void> {
    const t = consoleMessages(session.lang);
    const links = consoleNavFor(session.role).filter((e) => e.path !== '/console');
    const body = html`<p>${fill(t.homeIntro, { email: session.email })}</p>
      <ul class="card">
        ${links.map((e) => html`<li><a href="${e.path}">${e.label(session.lang)}</a></li>`)}
      </ul>`;
    await sendConsolePage(reply, renderConsolePage({ session, title: t.homeTitle, body, path: '/console' }));
  }

  /** Ends the session on the server (the row is deleted) and clears the cookie. */
  @Post('sign-out')
  @ConsoleAuth('viewer')
  @HttpCode(303)
  async signOut(@Req() req: ConsoleRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.sessions.end(req, reply);
    await reply.status(303).header('location', '/console/sign-in?signed-out=1').send();
  }

  @Post('language')
  @ConsoleAuth('viewer')
  async language(@CurrentSession() session: ConsoleSession, @Body() form: LanguageForm, @Res() reply: FastifyReply): Promise<void> {
    await this.sessions.setLanguage(session.sessionId, form.lang);
    await reply
      .status(303)
      .header('location', form.next && !form.next.includes('//') ? form.next : '/console')
      .send();
  }
}
