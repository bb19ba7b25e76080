import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { EmailEventsController, EmailWebhookGuard } from './email-events.controller';
import { ListLinksController } from './list-links.controller';
import { MailingsController } from './mailings.controller';
import { MailingsModule } from './mailings.module';
import { acceptMultipartUnsubscribe } from './multipart-body';

@Module({
  imports: [MailingsModule],
  controllers: [MailingsController, ListLinksController, EmailEventsController],
  providers: [EmailWebhookGuard],
})
export class MailingsHttpModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    acceptMultipartUnsubscribe(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }
}
