import type { FastifyInstance, FastifyRequest } from 'fastify';

const MAX_MULTIPART_BYTES = 64 * 1024;
/** The only routes that accept multipart bodies: the one-click unsubscribe URL (RFC 8058 allows either encoding). */
const MULTIPART_ROUTES = /^\/u\/[A-Za-z0-9_-]+\/?(\?|$)/;

/**
 * Fastify parses JSON and (through Nest) urlencoded forms, not multipart; a mailbox
 * provider's one-click POST may come as multipart/form-data. The body is read (bounded) and
 * kept as text, since the URL alone decides what happens; every other route still answers
 * 415 to multipart.
 */
export function acceptMultipartUnsubscribe(fastify: FastifyInstance): void {
  if (fastify.hasContentTypeParser('multipart/form-data')) return;
  fastify.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'string', bodyLimit: MAX_MULTIPART_BYTES },
    (request: FastifyRequest, body: string | Buffer, done: (err: Error | null, body?: unknown) => void) => {
      if (!MULTIPART_ROUTES.test(request.url)) {
        done(Object.assign(new Error('Unsupported Media Type: multipart/form-data'), { statusCode: 415 }));
        return;
      }
      done(null, { raw: String(body) });
    },
  );
}
