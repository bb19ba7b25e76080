import { Body, Controller, Get, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { fill } from '../mail/email-layout';
import { PublicRateLimitGuard } from '../web/rate-limit';
import { LinkPageResponses, renderPage, sendHtml } from '../web/html-page';
import { messages } from '../messages/catalogue';
import { ListPreferencesService, PreferencesView, UnsubscribeView } from './list-preferences.service';
import { renderPreferencesPage } from './preferences-page';

/**
 * The links in a newsletter's footer and its List-Unsubscribe header. GET shows a page and
 * changes nothing (mail scanners fetch links); POST acts. The one-click POST of RFC 8058
 * (`List-Unsubscribe=One-Click`, form-urlencoded or multipart) unsubscribes at once and
 * answers 200 with a small page: no redirect, no cookie. Whatever the body says, a POST to
 * the token's URL means "unsubscribe": the URL alone names the person and the list.
 */
/** The pages behind the links in a newsletter's footer (src/messages). `{{list}}` is a list's name. */
const LIST_PAGES = messages((m) => m.lists);

@ApiTags('links in emails (HTML pages)')
@Controller()
export class ListLinksController {
  constructor(private readonly preferences: ListPreferencesService) {}

  @Get('u/:token')
  @ApiOperation({ summary: 'Unsubscribe page (GET changes nothing)' })
  @LinkPageResponses()
  async showUnsubscribe(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answerUnsubscribe(reply, await this.preferences.inspectUnsubscribe(token));
  }

  // No rate limit here: mailbox providers send one-click POSTs from a few addresses in bulk.
  @Post('u/:token')
  @ApiOperation({ summary: 'Unsubscribe (one-click, RFC 8058)' })
  @LinkPageResponses()
  async unsubscribe(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answerUnsubscribe(reply, await this.preferences.unsubscribe(token));
  }

  @Get('preferences/:token')
  @ApiOperation({ summary: 'Email preferences page' })
  @LinkPageResponses()
  async showPreferences(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answerPreferences(reply, await this.preferences.preferences(token));
  }

  @Post('preferences/:token')
  @ApiOperation({ summary: 'Save email preferences' })
  @LinkPageResponses()
  @UseGuards(PublicRateLimitGuard)
  async savePreferences(@Param('token') token: string, @Body() body: Record<string, unknown>, @Res() reply: FastifyReply): Promise<void> {
    const raw = body && typeof body === 'object' ? body.lists : undefined;
    const lists = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
    await this.answerPreferences(reply, await this.preferences.savePreferences(token, lists.slice(0, 200)));
  }

  private async answerUnsubscribe(reply: FastifyReply, view: UnsubscribeView): Promise<void> {
    const t = LIST_PAGES[view.language];
    const page =
      view.outcome === 'unknown'
        ? { title: t.unknownTitle, paragraphs: [t.unknownText] }
        : view.outcome === 'ready'
          ? { title: t.unsubscribeTitle, paragraphs: [fill(t.unsubscribeText, { list: view.list })], form: { button: t.unsubscribeButton } }
          : { title: t.unsubscribedTitle, paragraphs: [fill(t.unsubscribedText, { list: view.list })] };
    await sendHtml(reply, view.outcome === 'unknown' ? 404 : 200, renderPage({ language: view.language, ...page }));
  }

  private async answerPreferences(reply: FastifyReply, view: PreferencesView): Promise<void> {
    const t = LIST_PAGES[view.language];
    if (view.outcome === 'unknown') {
      await sendHtml(reply, 404, renderPage({ language: view.language, title: t.unknownTitle, paragraphs: [t.unknownText] }));
      return;
    }
    const paragraphs = [...(view.outcome === 'saved' ? [t.savedText] : []), view.lists.length > 0 ? t.preferencesText : t.preferencesEmpty];
    const html = renderPreferencesPage({
      language: view.language,
      title: t.preferencesTitle,
      paragraphs,
      lists: view.lists.map((l) => ({ id: l.id, name: l.name, checked: l.subscribed })),
      button: t.saveButton,
    });
    await sendHtml(reply, 200, html);
  }
}
