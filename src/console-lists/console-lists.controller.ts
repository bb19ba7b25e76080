import { Body, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { UuidPipe } from '../common/uuid.pipe';
import { ConsoleFormDto } from '../console/console-form.dto';
import { renderConsolePage, sendConsolePage } from '../console/console-layout';
import { registerConsoleNav } from '../console/console-nav';
import type { ConsoleRequest, ConsoleSession } from '../console/console-session';
import { ConsoleAuth, ConsoleController, CurrentSession } from '../console/console-session.guard';
import { DashboardRepository } from '../console-dashboard/dashboard.repository';
import { ListsService } from '../lists/lists.service';
import { LIST_NOTICES, listsBody, LISTS_MESSAGES, ListNotice } from './lists-page';
import { CreateListForm, isChecked, ListVisibilityForm, RenameListForm } from './lists-forms.dto';

registerConsoleNav({ id: 'lists', path: '/console/lists', label: (l) => LISTS_MESSAGES[l].nav, minRole: 'viewer', order: 70 });

/**
 * `/console/lists`: every role sees the lists and their subscriber counts (no person);
 * organizers create, rename, make public or private and choose the default, through the
 * organizer API's own ListsService (its rules: the default is always public, one default)
 * and the same audit actions (`list.create`, `list.update`). Each POST answers 303 to the
 * list page with a notice (post/redirect/get: a reload sends nothing again).
 */
@ConsoleController('console/lists')
export class ConsoleListsController {
  constructor(
    private readonly lists: ListsService,
    private readonly counts: DashboardRepository,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ConsoleAuth('viewer')
  async show(
    @CurrentSession() session: ConsoleSession,
    @Query('done') done: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const [page, growth] = await Promise.all([this.lists.list(100), this.counts.listGrowth(new Date().toISOString().slice(0, 10))]);
    const subscribers = new Map(growth.map((g) => [g.id, g.subscribers]));
    const notice = (LIST_NOTICES as readonly string[]).includes(done ?? '') ? (done as ListNotice) : null;
    const body = listsBody(session, page.items, subscribers, notice);
    await sendConsolePage(reply, renderConsolePage({ session, title: LISTS_MESSAGES[session.lang].title, body, path: '/console/lists' }));
  }

  @Post()
  @ConsoleAuth('organizer')
  async create(@Body() form: CreateListForm, @Req() req: ConsoleRequest, @Res() reply: FastifyReply): Promise<void> {
    const list = await this.lists.create({
      slug: form.slug,
      name: form.name,
      public: isChecked(form.public),
      isDefault: isChecked(form.isDefault),
    });
    await this.audit.record(req, { action: 'list.create', targetType: 'list', targetId: list.id, details: { via: 'console' } });
    await back(reply, 'created');
  }

  @Post(':id/name')
  @ConsoleAuth('organizer')
  async rename(
    @Param('id', UuidPipe) id: string,
    @Body() form: RenameListForm,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.lists.update(id, { name: form.name });
    await this.audit.record(req, {
      action: 'list.update',
      targetType: 'list',
      targetId: id,
      details: { via: 'console', fields: ['name'] },
    });
    await back(reply, 'renamed');
  }

  @Post(':id/public')
  @ConsoleAuth('organizer')
  async visibility(
    @Param('id', UuidPipe) id: string,
    @Body() form: ListVisibilityForm,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.lists.update(id, { public: form.public === 'true' });
    await this.audit.record(req, {
      action: 'list.update',
      targetType: 'list',
      targetId: id,
      details: { via: 'console', fields: ['public'] },
    });
    await back(reply, form.public === 'true' ? 'public' : 'private');
  }

  @Post(':id/default')
  @ConsoleAuth('organizer')
  async makeDefault(
    @Param('id', UuidPipe) id: string,
    @Body() _form: ConsoleFormDto,
    @Req() req: ConsoleRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.lists.update(id, { isDefault: true });
    await this.audit.record(req, {
      action: 'list.update',
      targetType: 'list',
      targetId: id,
      details: { via: 'console', fields: ['isDefault'] },
    });
    await back(reply, 'default');
  }
}

async function back(reply: FastifyReply, done: ListNotice): Promise<void> {
  await reply.status(303).header('location', `/console/lists?done=${done}`).send();
}
