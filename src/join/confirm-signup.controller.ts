import { Controller, Get, Param, Post, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PublicRateLimitGuard } from '../web/rate-limit';
import { sendConfirmPage } from '../web/confirm-page';
import { ConfirmSignupService } from './confirm-signup.service';
import { JOIN_PAGES } from './join-messages';

/** The link in the join email: GET shows a button and changes nothing; POST confirms. */
@ApiTags('links in emails (HTML pages)')
@Controller('confirm')
export class ConfirmSignupController {
  constructor(private readonly confirmations: ConfirmSignupService) {}

  @Get(':token')
  async show(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await sendConfirmPage(reply, JOIN_PAGES, await this.confirmations.inspect(token));
  }

  @Post(':token')
  @UseGuards(PublicRateLimitGuard)
  async confirm(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
    await sendConfirmPage(reply, JOIN_PAGES, await this.confirmations.confirm(token));
  }
}
