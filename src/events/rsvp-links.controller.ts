import { Controller, Get, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { linkStatus } from '../actions/confirm-links.controller';
import { LinkPageResponses, renderPage, sendHtml } from '../web/html-page';
import { PublicRateLimitGuard } from '../web/rate-limit';
import { CancelLinkResult, RsvpLinksService } from './rsvp-links.service';
import { rsvpPageContent } from './rsvp-pages';

/** The cancel link in event emails: GET shows a button and changes nothing; POST cancels. (The confirm link is the RSVP action's.) */
@ApiTags('links in emails (HTML pages)')
@Controller('rsvp')
export class RsvpLinksController {
  constructor(private readonly links: RsvpLinksService) {}

  @Get('cancel/:token')
  @ApiOperation({ summary: 'RSVP cancel page (GET changes nothing)' })
  @LinkPageResponses()
  async showCancel(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, await this.links.inspectCancel(token));
  }

  @Post('cancel/:token')
  @ApiOperation({ summary: 'Cancel an RSVP (the page’s button)' })
  @LinkPageResponses()
  @UseGuards(PublicRateLimitGuard)
  async cancel(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, await this.links.cancel(token));
  }

  private async answer(reply: FastifyReply, result: CancelLinkResult): Promise<void> {
    const page = rsvpPageContent(result.language, result.outcome, result.title);
    await sendHtml(reply, linkStatus(result.outcome), renderPage({ language: result.language, ...page }));
  }
}
