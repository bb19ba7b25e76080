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

/**
 * The headers helmet sets with `options`, read once from a stand-in response: they depend on
 * nothing in the request (no nonces), so the lean public reads (src/web/lean-reads.ts) send
 * them as they are.
 */
export function captureHelmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
    getHeader: (name: string) => headers[name.toLowerCase()],
  };
  let failed: Error | undefined;
  helmet(options)({ headers: {}, method: 'GET', url: '/' } as never, res as never, (err?: unknown) => {
    if (err) failed = err instanceof Error ? err : new Error('helmet refused its options');
  });
  if (failed) throw failed;
  return headers;
}
