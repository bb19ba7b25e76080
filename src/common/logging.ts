import { RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/app-config';

/** Path segments that are secrets (link tokens) never reach a log line. */
export function redactUrl(url: string): string {
  const [path] = url.split('?');
  return path.replace(/[A-Za-z0-9_-]{32,}/g, '[token]');
}

const EMAIL = /[^\s<>"'@]+@[^\s<>"'@]+\.[^\s<>"'@]+/g;

/** Addresses out of free text (SMTP replies, driver messages) before it is logged or stored. */
export function scrubEmails(text: string): string {
  return text.replace(EMAIL, '[email]');
}

/**
 * What of an error reaches a log line: its class, message, code (the SQLSTATE of a database
 * error) and stack. Never TypeORM's `parameters` or `query`, nor the driver's `detail`: they
 * hold what supporters typed (addresses, names).
 *
 * pino-http wraps a custom `err` serializer behind pino's standard one, so this is handed
 * the standard one's plain object, with the original error as its `raw`: read that one.
 */
export function safeError(err: unknown): Record<string, unknown> {
  const raw = (err as { raw?: unknown } | null)?.raw ?? err;
  if (!(raw instanceof Error)) {
    const message = typeof raw === 'object' && raw !== null && 'message' in raw ? String(raw.message) : String(raw);
    return { message: scrubEmails(message) };
  }
  const e = raw as Error & { code?: unknown; driverError?: { code?: unknown } };
  return {
    type: e.constructor?.name ?? e.name,
    message: scrubEmails(e.message),
    code: e.driverError?.code ?? e.code,
    stack: e.stack ? scrubEmails(e.stack) : undefined,
  };
}

/**
 * The two public routes a viral petition hammers get no access line: the request logger
 * (a child logger and a finish listener per request) is a measurable share of their cost.
 * Their errors are still logged, with the request id, by AllExceptionsFilter, and they keep
 * their `x-request-id` header.
 */
const HOT_PUBLIC_ROUTES = [
  { path: 'api/v1/petitions/:slug', method: RequestMethod.GET },
  { path: 'api/v1/petitions/:slug/signatures', method: RequestMethod.POST },
];

/** Nest's start-up chatter (a line per module and per route, ~180 lines): dropped from the pretty output. */
const BOOT_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/**
 * LOG_FORMAT=pretty (what `npm start` picks outside production): one readable line per event
 * through pino-pretty, a development dependency (missing: JSON as usual), and without Nest's
 * boot lines at info level. JSON otherwise, for machines.
 */
function prettyOptions(config: AppConfig): Record<string, unknown> {
  if (config.LOG_FORMAT !== 'pretty') return {};
  try {
    require.resolve('pino-pretty');
  } catch {
    return {};
  }
  return {
    transport: {
      target: 'pino-pretty',
      options: {
        singleLine: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname,context,req,res,responseTime',
        messageFormat: '{if req.method}{req.method} {req.url} {res.statusCode} {end}{msg}',
      },
    },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void, level: number) {
        const first = args[0] as { context?: unknown } | undefined;
        if (level <= 30 && first && typeof first === 'object' && BOOT_CONTEXTS.has(String(first.context))) return;
        method.apply(this, args);
      },
    },
  };
}

/**
 * pino with the request id on every line. Request logs carry method, redacted path, status
 * and timing only: no query strings, bodies, IP addresses or Authorization headers.
 */
export const loggingModule = LoggerModule.forRootAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig) => ({
    // nestjs-pino's default route pattern matches nothing under Nest 12 + Fastify.
    forRoutes: [{ path: '*path', method: RequestMethod.ALL }],
    exclude: HOT_PUBLIC_ROUTES,
    pinoHttp: {
      level: config.LOG_LEVEL,
      customProps: () => ({ context: 'HTTP' }),
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? '',
      serializers: {
        err: safeError,
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      // Probes every few seconds are noise. (Behind middie, req.url is relative to the mount.)
      autoLogging: {
        ignore: (req: IncomingMessage & { originalUrl?: string }) => (req.originalUrl ?? req.url ?? '').startsWith('/health'),
      },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      ...prettyOptions(config),
    },
  }),
});
