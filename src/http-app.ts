import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { AppModule } from './app.module';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';

const BODY_LIMIT = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
/** Public endpoints any website may call from a browser (no credentials involved). */
const PUBLIC_CORS = /^\/api\/v1\/(signups|petitions|events)(\/|$|\?)/;

/** Builds the HTTP application; main.ts listens, tests use it in-process. */
export async function createHttpApp(config: AppConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Fastify's own request logs would repeat pino-http's; keep one.
    logger: false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());

  const fastify = app.getHttpAdapter().getInstance();
  // Fastify's own errors (body too large, bad JSON...) reach AllExceptionsFilter through
  // Nest's error handler, so every error has the contract's shape.
  fastify.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', String(request.id));
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-site' },
  });
  await app.register(cors, {
    delegator: (req, callback) => {
      const isPublic = PUBLIC_CORS.test(req.url ?? '');
      callback(
        null,
        isPublic ? { origin: '*', methods: ['GET', 'POST'], allowedHeaders: ['Content-Type'], maxAge: 600 } : { origin: false },
      );
    },
  });

  const docs = new DocumentBuilder()
    .setTitle('Campaign platform API')
    .setDescription('Join the movement, petitions, events, newsletters. Errors: {statusCode, error, message, details?}.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'Organizer API key' })
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, docs), { jsonDocumentUrl: 'docs-json' });
  return app;
}
