import { Global, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { applyPagePolicy } from '../web/layout';
import { ConsoleAdminService } from './console-admin.service';
import { ConsoleApiKeysController } from './console-api-keys.controller';
import { ConsoleAssetsController } from './console-assets.controller';
import { ConsoleAuditController } from './console-audit.controller';
import { ConsoleOrganizersController } from './console-organizers.controller';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { ConsoleHomeController } from './console-home.controller';
import { consoleMessages } from './console-messages';
import { registerConsoleNav } from './console-nav';
import { ConsoleSessionGuard, SameOriginGuard } from './console-session.guard';
import { ConsoleSessionsRepository } from './console-sessions.repository';
import { ConsoleSessionsService } from './console-sessions.service';

const CONSOLE_PATHS = /^\/console(\/|\?|$)/;

registerConsoleNav({ id: 'home', path: '/console', label: (l) => consoleMessages(l).navHome, minRole: 'viewer', order: 0 });

/**
 * The console's shell (API process only): sessions, the guard (session, role, CSRF, same
 * origin), the layout and navigation, its assets and home. Global, so that every console
 * feature module (src/console-*) can use `@ConsoleAuth()` and `ConsoleSessionsService`;
 * they import this folder, never the reverse.
 */
@Global()
@Module({
  controllers: [
    ConsoleAssetsController,
    ConsoleHomeController,
    ConsoleOrganizersController,
    ConsoleApiKeysController,
    ConsoleAuditController,
  ],
  providers: [
    ConsoleAdminService,
    ConsoleSessionsRepository,
    ConsoleSessionsService,
    ConsoleSessionGuard,
    SameOriginGuard,
    ConsoleExceptionFilter,
  ],
  exports: [ConsoleSessionsService, ConsoleSessionGuard, SameOriginGuard, ConsoleExceptionFilter],
})
export class ConsoleModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /**
   * Every response under /console (pages, redirects, errors, assets, JSON of the passkey
   * ceremonies) is personal: never stored by a browser or anyone between, and under the
   * public pages' strict CSP (no inline script or style, nothing from another origin,
   * frame-ancestors 'none'), with a referrer policy that lets the same-origin check work.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onSend', async (request, reply) => {
      if (!CONSOLE_PATHS.test(request.url)) return;
      applyPagePolicy(reply);
      // `no-referrer` (the public pages' policy) makes browsers send `Origin: null` on the
      // console's own form POSTs, which the same-origin check must refuse; `same-origin`
      // sends our origin to ourselves and nothing to anyone else.
      void reply.header('cache-control', 'no-store').header('referrer-policy', 'same-origin');
    });
  }
}
