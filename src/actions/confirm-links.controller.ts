import { Controller, Get, Inject, Param, Post, Res, Type, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { LinkPageResponses, renderPage, sendHtml } from '../web/html-page';
import { PublicRateLimitGuard } from '../web/rate-limit';
import { ActionSpec } from './action-definition';
import { ActionRegistry } from './action-registry';
import { ConfirmLinks, LinkResult } from './confirm-links.service';

/** Link pages are HTML for people: an unknown link is a 404, an expired link or a closed event a 410. */
export function linkStatus(outcome: string): number {
  return outcome === 'unknown' ? 404 : outcome === 'expired' || outcome === 'closed' ? 410 : 200;
}

/**
 * The controller of one kind's confirmation link, `GET/POST /{spec.link.path}/:token`: built
 * from the spec, so a kind declares its route once. GET shows the button and changes
 * nothing; POST confirms (rate limited like every public POST).
 */
export function confirmLinksController(spec: Pick<ActionSpec, 'kind' | 'link'>): Type<unknown> {
  @ApiTags('links in emails (HTML pages)')
  @Controller(spec.link.path)
  class ConfirmLinksController {
    constructor(
      @Inject(ConfirmLinks) private readonly links: ConfirmLinks,
      @Inject(ActionRegistry) private readonly registry: ActionRegistry,
    ) {}

    @Get(':token')
    @ApiOperation({ summary: `The ${spec.kind} confirmation page (GET changes nothing)` })
    @LinkPageResponses()
    async show(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
      await this.answer(reply, await this.links.inspect(spec.kind, token));
    }

    @Post(':token')
    @ApiOperation({ summary: `Confirm the ${spec.kind} (the page’s button)` })
    @LinkPageResponses()
    @UseGuards(PublicRateLimitGuard)
    async confirm(@Param('token') token: string, @Res() reply: FastifyReply): Promise<void> {
      await this.answer(reply, await this.links.confirm(spec.kind, token));
    }

    private async answer(reply: FastifyReply, result: LinkResult): Promise<void> {
      const page = this.registry.get(spec.kind).linkPage(result.outcome, result.language, result.record);
      await sendHtml(reply, linkStatus(result.outcome), renderPage({ language: result.language, ...page }));
    }
  }
  Object.defineProperty(ConfirmLinksController, 'name', { value: `${spec.kind[0].toUpperCase()}${spec.kind.slice(1)}LinksController` });
  return ConfirmLinksController;
}
