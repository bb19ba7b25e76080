import { Global, Injectable, Module } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TRACKING_PARAMETER } from '../common/validation';
import { SLUG_PATTERN } from '../common/validators';

/**
 * One answer of a lean read, built once per cached version of what it shows: its status and
 * every header but the request id, flattened for `writeHead`, and its bytes.
 */
export interface LeanAnswer {
  readonly status: number;
  readonly head: readonly string[];
  readonly body: Buffer;
}

/**
 * A hot public GET's fast path. Undefined means "not here": the route's Nest handler answers
 * as it always has (an unusual query, an invalid slug, a load that failed, a page's 404).
 */
export type LeanHandler = (request: FastifyRequest) => LeanAnswer | undefined | Promise<LeanAnswer | undefined>;

/**
 * As @fastify/cors answers a public API GET (http-app.ts, PUBLIC_CORS): its `Vary: Origin`
 * is replaced where a route sets its own Vary (the controllers' `Accept-Language`).
 */
const PUBLIC_CORS_HEADERS = { 'access-control-allow-origin': '*', vary: 'Origin' };

/**
 * The hot public reads (a petition's JSON and page, an event's, the signer list) answered
 * from the first `onRequest` hook, before the Nest middleware (the access log), security-header and CORS hooks and
 * without Nest's guards, interceptors, pipes or serialisation: bytes and headers are built
 * once per cached version (the feature's cache says when a version changes) and written as
 * they are. The headers are the ones the other hooks would have set, captured once from the
 * same helmet options (`test/lean-reads.e2e.test.ts` compares them with the Nest path's);
 * the request id is the one Fastify gave the request. Nothing here limits a rate: the
 * public GETs have no limit on the Nest path either.
 */
@Injectable()
export class LeanReads {
  private readonly routes = new Map<string, LeanHandler>();
  private security: Record<string, string> = {};

  /** `url` is the route as Nest registers it with Fastify: `/api/v1/petitions/:slug`. */
  register(url: string, handler: LeanHandler): void {
    if (this.routes.has(url)) throw new Error(`lean read ${url} registered twice`);
    this.routes.set(url, handler);
  }

  handler(url: string | undefined): LeanHandler | undefined {
    return url === undefined ? undefined : this.routes.get(url);
  }

  /** helmet's headers, as `captureHelmetHeaders` read them from the application's options. */
  useSecurityHeaders(headers: Record<string, string>): void {
    this.security = { ...headers };
  }

  /** The headers helmet sets on every answer (a page adjusts its CSP from these). */
  securityHeaders(): Readonly<Record<string, string>> {
    return this.security;
  }

  /**
   * An answer with helmet's headers, `headers` over them (lower-case names; an undefined
   * value removes one), and CORS's for a public API route.
   */
  answer(status: number, headers: Record<string, string | undefined>, body: string | Buffer, options: { publicApi: boolean }): LeanAnswer {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const all: Record<string, string | undefined> = { ...this.security, ...(options.publicApi ? PUBLIC_CORS_HEADERS : {}), ...headers };
    const head: string[] = [];
    for (const [name, value] of Object.entries(all)) if (value !== undefined) head.push(name, value);
    head.push('content-length', String(bytes.length));
    return { status, head, body: bytes };
  }
}

function write(request: FastifyRequest, reply: FastifyReply, answer: LeanAnswer): void {
  // Written as is: no onSend or serialiser has anything to add (the request id is added here).
  void reply.hijack();
  reply.raw.writeHead(answer.status, [...answer.head, 'x-request-id', String(request.id)]);
  reply.raw.end(answer.body);
}

type OnRequest = (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => void;

/**
 * The hook, for FastifyAdapter.setOnRequestHook: the adapter runs it before every other
 * request hook (Nest middleware, helmet, CORS, the media-type check). A GET without a body
 * whose route has a lean handler is answered here when the handler can; anything else
 * goes on as if there were no lean path.
 */
export function leanReadsHook(reads: LeanReads): OnRequest {
  return (request, reply, done) => {
    if (request.method !== 'GET') return done();
    const handler = reads.handler(request.routeOptions.url);
    // A body on a GET gets the media-type check's 415 on /api/: the Nest path answers it.
    if (!handler || request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined) return done();
    let result: ReturnType<LeanHandler>;
    try {
      result = handler(request);
    } catch {
      return done();
    }
    if (result === undefined) return done();
    if (!(result instanceof Promise)) return write(request, reply, result);
    result.then(
      (answer) => (answer ? write(request, reply, answer) : done()),
      // A load that failed (PostgreSQL away): the Nest path tries again and answers in the contract's shape.
      () => done(),
    );
  };
}

/** Variants (language asked × Accept-Language) kept per cached version; past it they are built per request. */
const MAX_VARIANTS = 64;

export function isSlug(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 100 && SLUG_PATTERN.test(value);
}

/**
 * Query parameters read as the Nest path reads them: a tracking parameter ignored, '' absent
 * (unless `keepEmpty`: a page reads its one parameter raw). Undefined when another parameter,
 * or one given twice, is there: the controller answers that.
 */
export function plainQuery(query: unknown, allowed: readonly string[], keepEmpty = false): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (TRACKING_PARAMETER.test(key)) continue;
    if (!allowed.includes(key) || typeof value !== 'string') return undefined;
    if (value !== '' || keepEmpty) out[key] = value;
  }
  return out;
}

/** A cache of answers per cached version (the object the read cache holds), forgotten with it. */
export class VersionedAnswers<V extends object> {
  private readonly byVersion = new WeakMap<V, Map<string, LeanAnswer>>();

  get(version: V, variant: string, build: () => LeanAnswer): LeanAnswer {
    return this.find(version, variant) ?? this.keep(version, variant, build());
  }

  find(version: V, variant: string): LeanAnswer | undefined {
    return this.byVersion.get(version)?.get(variant);
  }

  keep(version: V, variant: string, answer: LeanAnswer): LeanAnswer {
    let variants = this.byVersion.get(version);
    if (!variants) this.byVersion.set(version, (variants = new Map<string, LeanAnswer>()));
    if (variants.size < MAX_VARIANTS) variants.set(variant, answer);
    return answer;
  }
}

/** Available to every feature's HTTP module (API process only: imported by AppModule). */
@Global()
@Module({ providers: [LeanReads], exports: [LeanReads] })
export class LeanReadsModule {}
