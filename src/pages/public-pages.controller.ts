import { Body, Controller, Get, Headers, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PublicRateLimitGuard } from '../common/rate-limit';
import { AppConfig } from '../config/app-config';
import { PageExceptionFilter } from './page-exception.filter';
import { sendPage } from './page-response';
import { PageAnswer, PageRequest, PublicPagesService } from './public-pages.service';

/**
 * The public pages and their chromeless embed variants (/embed/...). Each form POSTs to its
 * own page's URL (form-urlencoded, JavaScript not needed): the same DTOs, services and rate
 * limit as the JSON API, answered with a page.
 */
@ApiExcludeController()
@Controller()
@UseFilters(PageExceptionFilter)
export class PublicPagesController {
  constructor(
    private readonly pages: PublicPagesService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async join(
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, this.pages.joinPage(this.ask(lang, accept, false)), false, true);
  }

  @Get('embed/join')
  async joinEmbed(
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, this.pages.joinPage(this.ask(lang, accept, true)), true, true);
  }

  @Post()
  @UseGuards(PublicRateLimitGuard)
  async submitJoin(
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, await this.pages.submitJoin(this.ask(lang, accept, false), body, req.ip), false, false);
  }

  @Post('embed/join')
  @UseGuards(PublicRateLimitGuard)
  async submitJoinEmbed(
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, await this.pages.submitJoin(this.ask(lang, accept, true), body, req.ip), true, false);
  }

  @Get('p/:slug')
  async petition(
    @Param('slug') slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, await this.pages.petitionPage(slug, this.ask(lang, accept, false)), false, true);
  }

  @Get('embed/p/:slug')
  async petitionEmbed(
    @Param('slug') slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, await this.pages.petitionPage(slug, this.ask(lang, accept, true)), true, true);
  }

  @Post('p/:slug')
  @UseGuards(PublicRateLimitGuard)
  async sign(
    @Param('slug') slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, await this.pages.submitSignature(slug, this.ask(lang, accept, false), body, req.ip), false, false);
  }

  @Post('embed/p/:slug')
  @UseGuards(PublicRateLimitGuard)
  async signEmbed(
    @Param('slug') slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, await this.pages.submitSignature(slug, this.ask(lang, accept, true), body, req.ip), true, false);
  }

  @Get('e/:slug')
  async event(
    @Param('slug') slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, await this.pages.eventPage(slug, this.ask(lang, accept, false)), false, true);
  }

  @Get('embed/e/:slug')
  async eventEmbed(
    @Param('slug') slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, await this.pages.eventPage(slug, this.ask(lang, accept, true)), true, true);
  }

  @Post('e/:slug')
  @UseGuards(PublicRateLimitGuard)
  async rsvp(
    @Param('slug') slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, await this.pages.submitRsvp(slug, this.ask(lang, accept, false), body, req.ip), false, false);
  }

  @Post('embed/e/:slug')
  @UseGuards(PublicRateLimitGuard)
  async rsvpEmbed(
    @Param('slug') slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.send(reply, await this.pages.submitRsvp(slug, this.ask(lang, accept, true), body, req.ip), true, false);
  }

  private ask(queryLang: unknown, acceptLanguage: string | undefined, embed: boolean): PageRequest {
    return { queryLang, acceptLanguage, embed };
  }

  private send(reply: FastifyReply, answer: PageAnswer, embed: boolean, get: boolean): Promise<void> {
    return sendPage(reply, this.config, answer, { embed, get });
  }
}
