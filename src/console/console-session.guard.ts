import {
  applyDecorators,
  CanActivate,
  Controller,
  createParamDecorator,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  SetMetadata,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import type { Role } from '../organizers/organizer.entity';
import { ConsoleCsrfRefused, ConsoleSignInRequired } from './console-errors';
import { ConsoleExceptionFilter } from './console-exception.filter';
import { roleAtLeast } from '../organizers/roles';
import type { ConsoleRequest, ConsoleSession } from './console-session';
import { ConsoleSessionsService } from './console-sessions.service';

const CONSOLE_MIN_ROLE = 'consoleMinRole';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Whether a request comes from a page of our own origin. Browsers send `Sec-Fetch-Site` on
 * every request (a header no page can set): when present it decides, and must say
 * `same-origin`. Chromium sends `Origin: null` on a same-origin form navigation under some
 * referrer policies, so `null` is accepted only beside `Sec-Fetch-Site: same-origin`.
 * Without `Sec-Fetch-Site`, an `Origin` must be ours exactly. A request with neither is not
 * from a browser, so it is no cross-site request forgery (and it still needs the session's
 * CSRF token when it has a session).
 */
export function isSameOrigin(req: FastifyRequest, publicOrigin: string): boolean {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  if (site !== undefined) return site === 'same-origin' && (origin === undefined || origin === 'null' || origin === publicOrigin);
  return origin === undefined || origin === publicOrigin;
}

/** The CSRF token a request carries: the form's `_csrf` field, else the `x-csrf-token` header (fetch), else `?_csrf=` (a streamed upload). */
function csrfTokenOf(req: FastifyRequest): unknown {
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Buffer.isBuffer(body) && typeof body._csrf === 'string') return body._csrf;
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  return (req.query as Record<string, unknown> | undefined)?._csrf;
}

function tokensEqual(expected: string, given: unknown): boolean {
  return typeof given === 'string' && given.length === expected.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given));
}

/**
 * The console's guard: a live session (else sign-in for a GET, 403 for anything else), the
 * route's least role (403), and on every state-changing method a same-origin request AND
 * the session's CSRF token (403, before the handler runs: nothing changes).
 */
@Injectable()
export class ConsoleSessionGuard implements CanActivate {
  constructor(
    private readonly sessions: ConsoleSessionsService,
    private readonly config: AppConfig,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<ConsoleRequest>();
    const unsafe = !isSafeMethod(req.method);
    if (unsafe && !isSameOrigin(req, this.config.publicOrigin)) throw new ConsoleCsrfRefused('not from this site');
    const session = await this.sessions.resolve(req);
    if (!session) {
      if (unsafe) throw new ConsoleCsrfRefused('no live session');
      throw new ConsoleSignInRequired();
    }
    // The session is known from here on: error pages show the organizer's navigation and language.
    req.consoleSession = session;
    if (unsafe && !tokensEqual(session.csrfToken, csrfTokenOf(req))) throw new ConsoleCsrfRefused('missing or wrong CSRF token');
    const minRole =
      this.reflector.getAllAndOverride<Role | undefined>(CONSOLE_MIN_ROLE, [context.getHandler(), context.getClass()]) ?? 'viewer';
    if (!roleAtLeast(session.role, minRole)) throw new ForbiddenException(`This needs the ${minRole} role`);
    req.organizer = { organizerId: session.organizerId, apiKeyId: null, email: session.email, role: session.role };
    return true;
  }
}

/**
 * A console route (or controller) for a signed-in organizer of at least `minRole`
 * (viewer < organizer < admin). Non-GET requests also need the CSRF token and same origin.
 * Errors render as console pages.
 */
export function ConsoleAuth(minRole: Role = 'viewer'): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(CONSOLE_MIN_ROLE, minRole), UseGuards(ConsoleSessionGuard), UseFilters(ConsoleExceptionFilter));
}

/** A console controller: under `path` (e.g. `console/people`), out of the OpenAPI document, errors as pages. */
export function ConsoleController(path: string): ClassDecorator {
  return applyDecorators(Controller(path), ApiExcludeController(), UseFilters(ConsoleExceptionFilter));
}

/** The signed-in session of a route under `@ConsoleAuth()`. */
export const CurrentSession = createParamDecorator((_data: unknown, context: ExecutionContext): ConsoleSession => {
  const session = context.switchToHttp().getRequest<ConsoleRequest>().consoleSession;
  if (!session) throw new Error('@CurrentSession() needs @ConsoleAuth() on the route or its controller');
  return session;
});

/**
 * For the console's POSTs that come before a session (sign-in, invitations): same origin
 * only (403 otherwise), so no other site can sign a browser in to an account of its choosing.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    if (!isSafeMethod(req.method) && !isSameOrigin(req, this.config.publicOrigin)) throw new ConsoleCsrfRefused('not from this site');
    return true;
  }
}

/** A console route open without a session (sign-in, invitations): same-origin POSTs, errors as pages. */
export function ConsolePublic(): MethodDecorator & ClassDecorator {
  return applyDecorators(UseGuards(SameOriginGuard), UseFilters(ConsoleExceptionFilter));
}
