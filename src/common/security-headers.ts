import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { HelmetOptions } from 'helmet';

/**
 * helmet's security headers on every response, registered like `@fastify/helmet` (same
 * options) but with helmet built once: that plugin builds it, parsing the CSP directives,
 * on every request, a measurable share of a public GET. A bad option now stops the start
 * instead of failing the first request. No per-route options and no CSP nonces: nothing
 * here uses them.
 */
function securityHeaders(fastify: FastifyInstance, options: HelmetOptions, registered: (err?: Error) => void): void {
  const apply = helmet(options);
  fastify.addHook('onRequest', (request, reply, done) => apply(request.raw, reply.raw, (err?: unknown) => done(err as Error | undefined)));
  registered();
}

/** Not encapsulated: the headers apply to every route of the application. */
export default fp(securityHeaders, { name: 'security-headers' });
