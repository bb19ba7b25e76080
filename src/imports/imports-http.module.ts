import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { ImportsController } from './imports.controller';
import { ImportsModule } from './imports.module';

const IMPORT_ROUTES = /^\/api\/v1\/admin\/imports\//;

@Module({ imports: [ImportsModule], controllers: [ImportsController] })
export class ImportsHttpModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /**
   * `text/csv` bodies are handed to the import route as the raw request stream, unread,
   * so a 50 MB file is parsed as it arrives instead of being buffered (the global 1 MiB
   * body limit applies to every other body; the import counts its own bytes). Any other
   * route refuses `text/csv` with 415.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addContentTypeParser('text/csv', (request, payload, done) => {
      if (!IMPORT_ROUTES.test(request.url)) {
        done(Object.assign(new Error('This route does not accept text/csv'), { statusCode: 415 }), undefined);
        return;
      }
      done(null, payload);
    });
  }
}
