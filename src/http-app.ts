import cors from '@fastify/cors';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { AppModule } from './app.module';
import helmet, { captureHelmetHeaders } from './common/security-headers';
import { createOpenApiDocument } from './common/openapi';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { LeanReads, leanReadsHook } from './web/lean-reads';
import type { HelmetOptions } from 'helmet';

const BODY_LIMIT = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;
/** Public endpoints any website may call from a browser (no credentials involved). */
const PUBLIC_CORS = /^\/api\/v1\/(signups|petitions|events)(\/|$|\?)/;
// Built once: the delegator runs on every request.
const PUBLIC_CORS_OPTIONS = Object.freeze({
  origin: '*',
  methods: ['GET', 'POST'],
  allowedHeaders: ['Content-Type'],
  maxAge: 600,
  strictPreflight: false,
});
const NO_CORS = Object.freeze({ origin: false });
/** The API speaks JSON; the one exception is the CSV import. Link pages (not under /api) take forms. */
const JSON_ONLY = /^\/api\//;
const CSV_IMPORT = /^\/api\/v1\/admin\/imports\//;

const OSDI_ENTRY_POINT = /^\/api\/osdi\/v1\/(\?|$)/;

/** Deeper than any body of this API; much deeper and validation would overflow the stack (a 500). */
const MAX_JSON_DEPTH = 32;

function depthExceeds(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node !== 'object' || node === null) continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}

function badJson(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' });
}

function hasBody(req: FastifyRequest): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** A request with a body the route cannot have been meant for: 415 before any parsing. */
function unsupportedMediaType(req: FastifyRequest): boolean {
  if (!JSON_ONLY.test(req.url) || !hasBody(req) || CSV_IMPORT.test(req.url)) return false;
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  return type !== 'application/json' && !type.endsWith('+json');
}

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
    // Slugs and tokens are short; a long one must still reach the route and get its 404,
    // not the router's 414 (whose answer is not in the contract's shape).
    routerOptions: { maxParamLength: 2048 },
    // OSDI's entry point is written with its slash (`/api/osdi/v1/`); Nest routes it without.
    rewriteUrl: (req: { url?: string }) => (req.url ?? '/').replace(OSDI_ENTRY_POINT, '/api/osdi/v1$1'),
    // Errors the router raises before any route or Nest filter runs (a malformed URL).
    frameworkErrors: (error: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
      void reply
        .code(status)
        .header('content-type', 'application/json; charset=utf-8')
        .send({ statusCode: status, error: STATUS_CODES[status] ?? 'Bad Request', message: 'Malformed request URL' });
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(createValidationPipe());

  // Fastify's own JSON parsing (prototype-poisoning checks included), plus: an empty body
  // is no body (clients that always send a JSON content type, on POST .../send), and a
  // body nested deeper than any DTO is refused before validation can recurse on it.
  const defaultJson = app.getHttpAdapter().getInstance().getDefaultJsonParser('error', 'error');
  // HAL+JSON too: OSDI clients may post `application/hal+json`.
  app.useBodyParser(['application/json', 'application/hal+json'], { bodyLimit: BODY_LIMIT }, (req, body, done) => {
    const text = body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    void defaultJson(req as FastifyRequest, text, (err, parsed) => {
      if (err) return done(err, undefined);
      if (depthExceeds(parsed, MAX_JSON_DEPTH)) return done(badJson('JSON body is nested too deeply'), undefined);
      done(null, parsed);
    });
  });

  const fastify = app.getHttpAdapter().getInstance();
  // Fastify's own errors (body too large, bad JSON...) reach AllExceptionsFilter through
  // Nest's error handler, so every error has the contract's shape.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-request-id', String(request.id));
    done(null, payload);
  });
  fastify.addHook('onRequest', (request, _reply, done) => {
    done(unsupportedMediaType(request) ? new UnsupportedMediaTypeException('The API accepts application/json bodies only') : undefined);
  });

  // Over plain http (local installs, an onion service without TLS) these would send the
  // confirm form's POST to an https URL nobody serves.
  const https = config.publicUrlIsHttps;
  const helmetOptions: HelmetOptions = {
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
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    strictTransportSecurity: https,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-site' },
  };

  // The hot public GETs answer in the adapter's first request hook when they can, before
  // Nest's middleware, helmet and CORS, with the headers those would set (captured once
  // from the same options).
  const leanReads = app.get(LeanReads);
  leanReads.useSecurityHeaders(captureHelmetHeaders(helmetOptions));
  adapter.setOnRequestHook(leanReadsHook(leanReads));

  await app.register(helmet, helmetOptions);
  await app.register(cors, {
    delegator: (req, callback) => callback(null, PUBLIC_CORS.test(req.url ?? '') ? PUBLIC_CORS_OPTIONS : NO_CORS),
  });

  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app, config.publicUrl), { jsonDocumentUrl: 'docs-json' });
  return app;
}
