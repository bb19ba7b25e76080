import { Controller, Get, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicRateLimitGuard } from '../web/rate-limit';
import { sendConfirmPage } from '../web/confirm-page';
import { ConfirmSignatureService } from './confirm-signature.service';
import { SIGNATURE_PAGES } from './petition-messages';

/** The link in the signature email: GET shows a button and changes nothing; POST confirms. */
@ApiTags('links in emails (HTML pages)')
@Controller('petitions/confirm')
export class ConfirmSignatureController {
  constructor(private readonly confirmations: ConfirmSignatureService) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await sendConfirmPage(reply, SIGNATURE_PAGES, await this.confirmations.inspect(token));
  }

  @Post(':token')
  @UseGuards(PublicRateLimitGuard)
  async confirm(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await sendConfirmPage(reply, SIGNATURE_PAGES, await this.confirmations.confirm(token));
  }
}
