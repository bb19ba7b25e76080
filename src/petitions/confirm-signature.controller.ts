import { Controller, Get, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicRateLimitGuard } from '../common/rate-limit';
import { renderPage } from '../pages/html-page';
import { ConfirmOutcome, ConfirmResult, ConfirmSignatureService } from './confirm-signature.service';
import { SIGNATURE_PAGES } from './petition-messages';

const STATUS: Record<ConfirmOutcome, number> = { ready: 200, confirmed: 200, 'already-confirmed': 200, expired: 410, unknown: 404 };

/** The link in the signature email: GET shows a button and changes nothing; POST confirms. */
@ApiExcludeController()
@Controller('petitions/confirm')
export class ConfirmSignatureController {
  constructor(private readonly confirmations: ConfirmSignatureService) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, await this.confirmations.inspect(token));
  }

  @Post(':token')
  @UseGuards(PublicRateLimitGuard)
  async confirm(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await this.answer(reply, await this.confirmations.confirm(token));
  }

  private async answer(reply: FastifyReply, result: ConfirmResult): Promise<void> {
    const t = SIGNATURE_PAGES[result.language];
    const content = {
      ready: { title: t.confirmTitle, paragraphs: [t.confirmText], form: { button: t.confirmButton } },
      confirmed: { title: t.doneTitle, paragraphs: [t.doneText] },
      'already-confirmed': { title: t.alreadyTitle, paragraphs: [t.alreadyText] },
      expired: { title: t.expiredTitle, paragraphs: [t.expiredText] },
      unknown: { title: t.unknownTitle, paragraphs: [t.unknownText] },
    }[result.outcome];
    await reply
      .status(STATUS[result.outcome])
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(renderPage({ language: result.language, ...content }));
  }
}
