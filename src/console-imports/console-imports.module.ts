import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ConsoleModule } from '../console/console.module';
import { registerConsoleNav } from '../console/console-nav';
import { ImportJobsModule } from '../imports/import-jobs.module';
import { ConsoleImportsController } from './console-imports.controller';
import { consoleImportsMessages } from './console-imports.messages';
import { acceptStreamedUpload } from './multipart-upload';

registerConsoleNav({
  id: 'imports',
  path: '/console/imports',
  label: (l) => consoleImportsMessages(l).nav,
  minRole: 'organizer',
  order: 20,
});

/** The console's import wizard (API process); the import itself runs in the worker (src/imports). */
@Module({ imports: [ConsoleModule, ImportJobsModule], controllers: [ConsoleImportsController] })
export class ConsoleImportsModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    acceptStreamedUpload(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }
}
