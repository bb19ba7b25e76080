import { Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderConsolePage, sendConsolePage } from '../console/console-layout';
import type { ConsoleSession } from '../console/console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from '../console/console-session.guard';
import { DASHBOARD_MESSAGES, dashboardBody } from './dashboard-page';
import { DashboardService } from './dashboard.service';
import { SCREENS_CSS } from './screens-css';

/** The dashboard: aggregates only, so every role may see it (no person is named on it). */
@ConsoleController('console/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  /** The screens' own stylesheet: no personal data, so served without a session. */
  @Get('screens.css')
  async stylesheet(@Res() reply: FastifyReply): Promise<void> {
    await reply.header('content-type', 'text/css; charset=utf-8').send(SCREENS_CSS);
  }

  @Get()
  @ConsoleAuth('viewer')
  async show(
    @CurrentSession() session: ConsoleSession,
    @Query('days') days: string | undefined,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const data = await this.dashboard.get(days === '90' ? 90 : 30);
    const t = DASHBOARD_MESSAGES[session.lang];
    await sendConsolePage(reply, renderConsolePage({ session, title: t.title, body: dashboardBody(data, session.lang), path: req.url }));
  }
}
