import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage } from 'node:http';
import { AppConfig } from '../config/app-config';

/** Path segments that are secrets (link tokens) never reach a log line. */
export function redactUrl(url: string): string {
  const [path] = url.split('?');
  return path.replace(/\/(confirm|unsubscribe|preferences|rsvp|a)\/[^/]+/g, '/$1/[token]').replace(/[A-Za-z0-9_-]{32,}/g, '[token]');
}

/**
 * pino with the request id on every line. Request logs carry method, redacted path, status
 * and timing only: no query strings, bodies, IP addresses or Authorization headers.
 */
export const loggingModule = LoggerModule.forRootAsync({
  inject: [AppConfig],
  useFactory: (config: AppConfig) => ({
    pinoHttp: {
      level: config.LOG_LEVEL,
      customProps: () => ({ context: 'HTTP' }),
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id?: string }).id ?? '',
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req: IncomingMessage) => (req.url ?? '').startsWith('/health') },
      redact: ['req.headers.authorization', 'req.headers.cookie'],
    },
  }),
});
