import { Controller, Get, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicRateLimitGuard } from '../web/rate-limit';
import { fill } from '../mail/email-layout';
import { PageContent, renderPage, sendHtml } from '../web/html-page';
import { EVENT_PAGES } from './event-messages';
import { RsvpLinkOutcome, RsvpLinkResult, RsvpLinksService } from './rsvp-links.service';

const STATUS: Record<RsvpLinkOutcome, number> = {
  ready: 200,
  going: 200,
  waitlisted: 200,
  full: 200,
  closed: 410,
  already: 200,
  'cancel-ready': 200,
  cancelled: 200,
  'already-cancelled': 200,
  expired: 410,
  unknown: 404,
};

/** The links in event emails: GET shows a button and changes nothing; POST acts. */
@ApiTags('links in emails (HTML pages)')
@Controller('rsvp')
export class RsvpLinksController {
  constructor(private readonly links: RsvpLinksService) {}

  @Get('confirm/:token')
  async showConfirm(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, await this.links.inspectConfirm(token));
  }

  @Post('confirm/:token')
  @UseGuards(PublicRateLimitGuard)
  async confirm(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, await this.links.confirm(token));
  }

  @Get('cancel/:token')
  async showCancel(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, await this.links.inspectCancel(token));
  }

  @Post('cancel/:token')
  @UseGuards(PublicRateLimitGuard)
  async cancel(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, await this.links.cancel(token));
  }

  private async answer(reply: FastifyReply, result: RsvpLinkResult): Promise<void> {
    const t = EVENT_PAGES[result.language];
    const v = { title: result.title ?? '' };
    const pages: Record<RsvpLinkOutcome, Omit<PageContent, 'language'>> = {
      ready: { title: t.confirmTitle, paragraphs: [fill(t.confirmText, v)], form: { button: t.confirmButton } },
      going: { title: t.goingTitle, paragraphs: [fill(t.goingText, v)] },
      waitlisted: { title: t.waitlistedTitle, paragraphs: [fill(t.waitlistedText, v)] },
      full: { title: t.fullTitle, paragraphs: [fill(t.fullText, v)] },
      closed: { title: t.closedTitle, paragraphs: [fill(t.closedText, v)] },
      already: { title: t.alreadyTitle, paragraphs: [t.alreadyText] },
      'cancel-ready': { title: t.cancelTitle, paragraphs: [fill(t.cancelText, v)], form: { button: t.cancelButton } },
      cancelled: { title: t.cancelledTitle, paragraphs: [fill(t.cancelledText, v)] },
      'already-cancelled': { title: t.alreadyTitle, paragraphs: [t.alreadyText] },
      expired: { title: t.expiredTitle, paragraphs: [t.expiredText] },
      unknown: { title: t.unknownTitle, paragraphs: [t.unknownText] },
    };
    await sendHtml(reply, STATUS[result.outcome], renderPage({ language: result.language, ...pages[result.outcome] }));
  }
}
