import { Body, Controller, Get, Headers, Param, Post, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PublicRateLimitGuard } from '../web/rate-limit';
import { SlugPipe } from '../common/slug.pipe';
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

  @Get(['/', 'embed/join'])
  async join(
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const ask = this.ask(req, lang, accept);
    await this.send(reply, this.pages.joinPage(ask), ask.embed, true);
  }

  @Post(['/', 'embed/join'])
  @UseGuards(PublicRateLimitGuard)
  async submitJoin(
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const ask = this.ask(req, lang, accept);
    await this.send(reply, await this.pages.submitJoin(ask, body, req.ip), ask.embed, false);
  }

  @Get(['p/:slug', 'embed/p/:slug'])
  async petition(
    @Param('slug', new SlugPipe()) slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const ask = this.ask(req, lang, accept);
    await this.send(reply, await this.pages.petitionPage(slug, ask), ask.embed, true);
  }

  @Post(['p/:slug', 'embed/p/:slug'])
  @UseGuards(PublicRateLimitGuard)
  async sign(
    @Param('slug', new SlugPipe()) slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const ask = this.ask(req, lang, accept);
    await this.send(reply, await this.pages.submitSignature(slug, ask, body, req.ip), ask.embed, false);
  }

  @Get(['e/:slug', 'embed/e/:slug'])
  async event(
    @Param('slug', new SlugPipe()) slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const ask = this.ask(req, lang, accept);
    await this.send(reply, await this.pages.eventPage(slug, ask), ask.embed, true);
  }

  @Post(['e/:slug', 'embed/e/:slug'])
  @UseGuards(PublicRateLimitGuard)
  async rsvp(
    @Param('slug', new SlugPipe()) slug: string,
    @Query('lang') lang: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Body() body: unknown,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const ask = this.ask(req, lang, accept);
    await this.send(reply, await this.pages.submitRsvp(slug, ask, body, req.ip), ask.embed, false);
  }

  /** Each route serves a page and, under /embed/, its chromeless variant (framable, form and count only). */
  private ask(req: FastifyRequest, queryLang: unknown, acceptLanguage: string | undefined): PageRequest {
    return { queryLang, acceptLanguage, embed: req.url.startsWith('/embed/') };
  }

  private send(reply: FastifyReply, answer: PageAnswer, embed: boolean, get: boolean): Promise<void> {
    return sendPage(reply, this.config, answer, { embed, get });
  }
}
