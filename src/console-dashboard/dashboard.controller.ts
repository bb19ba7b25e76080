import { Get, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { renderConsolePage, sendConsolePage } from '../console/console-layout';
import type { ConsoleSession } from '../console/console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from '../console/console-session.guard';
import { DASHBOARD_MESSAGES, dashboardBody } from './dashboard-page';
import { DashboardService } from './dashboard.service';

/** The dashboard: aggregates only, so every role may see it (no person is named on it). */
@ConsoleController('console/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

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
