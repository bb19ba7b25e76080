import { Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { keyedHash, randomToken, sha256Hex } from '../common/crypto.util';
import { resolveLanguage } from '../common/languages';
import { AppConfig } from '../config/app-config';
import type { Role } from '../organizers/organizer.entity';
import type { ConsoleSession } from './console-session';
import { ConsoleSessionsRepository } from './console-sessions.repository';

/** The session cookie is rewritten with its last-seen time at most this often. */
const TOUCH_EVERY_MS = 60_000;

/** `Cookie` header → name/value pairs (the first of a repeated name wins, as browsers send the most specific first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

/**
 * Server-side console sessions. The cookie holds 256 random bits; the database holds their
 * SHA-256 hash; the CSRF token is an HMAC of the cookie's value, so it is bound to the
 * session, needs no storage and cannot be computed from the database alone.
 */
@Injectable()
export class ConsoleSessionsService {
  constructor(
    private readonly sessions: ConsoleSessionsRepository,
    private readonly config: AppConfig,
  ) {}

  /** `__Host-` prefixed (Secure, Path=/, no Domain) under an https PUBLIC_URL. */
  get cookieName(): string {
    return this.config.publicUrlIsHttps ? '__Host-console_session' : 'console_session';
  }

  csrfTokenFor(rawId: string): string {
    return keyedHash(this.config.APP_SECRET, 'console-csrf', rawId);
  }

  csrfMatches(rawId: string, given: unknown): boolean {
    if (typeof given !== 'string' || given.length !== 64) return false;
    return timingSafeEqual(Buffer.from(this.csrfTokenFor(rawId)), Buffer.from(given));
  }

  /** The cookie's raw value, when the request carries one of the right shape. */
  rawIdOf(req: FastifyRequest): string | null {
    const value = parseCookies(req.headers.cookie).get(this.cookieName);
    return value && /^[A-Za-z0-9_-]{43}$/.test(value) ? value : null;
  }

  /**
   * A new session for an organizer who has just proven who they are, and its cookie. Always
   * a new id (a session id planted before sign-in is never promoted: no fixation); the
   * session the request came with, if any, is ended.
   */
  async start(
    req: FastifyRequest,
    reply: FastifyReply,
    organizer: { organizerId: string; email: string; role: Role; language: string },
    tx?: EntityManager,
  ): Promise<ConsoleSession> {
    const previous = this.rawIdOf(req);
    if (previous) await this.sessions.delete(sha256Hex(previous));
    const rawId = randomToken(32);
    const idHash = sha256Hex(rawId);
    const language = resolveLanguage(organizer.language);
    const maxMs = this.config.CONSOLE_SESSION_MAX_HOURS * 3_600_000;
    await this.sessions.insert(tx, {
      idHash,
      organizerId: organizer.organizerId,
      role: organizer.role,
      language,
      expiresAt: new Date(Date.now() + maxMs),
    });
    void this.sessions.deleteEnded(this.config.CONSOLE_SESSION_IDLE_MINUTES).catch(() => undefined);
    void reply.header('set-cookie', this.cookie(rawId, Math.floor(maxMs / 1000)));
    return {
      sessionId: idHash,
      organizerId: organizer.organizerId,
      email: organizer.email,
      role: organizer.role,
      csrfToken: this.csrfTokenFor(rawId),
      lang: language,
    };
  }

  /** The live session of the request, or null (no cookie, unknown, ended, organizer revoked or role changed). */
  async resolve(req: FastifyRequest): Promise<ConsoleSession | null> {
    const rawId = this.rawIdOf(req);
    if (!rawId) return null;
    const row = await this.sessions.findLive(sha256Hex(rawId), this.config.CONSOLE_SESSION_IDLE_MINUTES);
    if (!row) return null;
    if (Date.now() - new Date(row.lastSeenAt).getTime() > TOUCH_EVERY_MS) await this.sessions.touch(row.idHash);
    return {
      sessionId: row.idHash,
      organizerId: row.organizerId,
      email: row.email,
      role: row.role,
      csrfToken: this.csrfTokenFor(rawId),
      lang: resolveLanguage(row.language),
    };
  }

  /** Sign-out: the session is deleted on the server and the cookie cleared. */
  async end(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const rawId = this.rawIdOf(req);
    if (rawId) await this.sessions.delete(sha256Hex(rawId));
    void reply.header('set-cookie', this.cookie('', 0));
  }

  /** Every session of an organizer, at once (revoked, role changed, credentials reset). */
  endAllFor(organizerId: string, tx?: EntityManager): Promise<number> {
    return this.sessions.deleteForOrganizer(organizerId, tx);
  }

  setLanguage(sessionId: string, language: string): Promise<void> {
    return this.sessions.setLanguage(sessionId, resolveLanguage(language));
  }

  private cookie(value: string, maxAgeSeconds: number): string {
    const secure = this.config.publicUrlIsHttps ? '; Secure' : '';
    return `${this.cookieName}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
  }
}
