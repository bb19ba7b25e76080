import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { toErrorResponse } from '../src/common/http-exception.filter';
import { rsvpPayload } from './factories/event.factory';
import { createOrganizer } from './factories/organizer.factory';
import { signupPayload } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Cursors an attacker makes up (issue 19, finding 5): each once reached SQL and answered 500. */
const BAD_CURSORS: Array<[string, string]> = [
  ['a position that overflows bigint', b64(['9999999999999999999', randomUUID()])],
  ['a position past the last timestamp PostgreSQL holds', b64(['999999999999999999', randomUUID()])],
  ['an id of 36 dashes', b64(['1', '-'.repeat(36)])],
  ['an id of 36 hex digits', b64(['1', 'a'.repeat(36)])],
  ['a NUL byte in the id', b64(['1', `${randomUUID().slice(0, 35)}\u0000`])],
  ['a third element', b64(['1', randomUUID(), 'x'])],
  ['JSON that is no array', b64({ createdAtMicros: '1', id: randomUUID() })],
  ['no JSON at all', 'bm90IGpzb24'],
];

/** Every route that pages with a cursor; `admin` ones are asked with an admin key. */
const CURSOR_ROUTES: Array<[string, 'public' | 'admin']> = [
  ['/api/v1/petitions', 'public'],
  ['/api/v1/events', 'public'],
  ['/api/v1/admin/people', 'admin'],
  ['/api/v1/admin/audit-log', 'admin'],
  ['/api/v1/admin/petitions', 'admin'],
  [`/api/v1/admin/petitions/${randomUUID()}/signatures`, 'admin'],
  ['/api/v1/admin/events', 'admin'],
  [`/api/v1/admin/events/${randomUUID()}/rsvps`, 'admin'],
  ['/api/v1/admin/lists', 'admin'],
  ['/api/v1/admin/mailings', 'admin'],
  ['/api/v1/admin/organizers', 'admin'],
];

/** Every route that takes a petition or event slug, with a body where it is a POST. */
const SLUG_ROUTES: Array<['get' | 'post', (slug: string) => string, 'json' | 'html', Record<string, unknown>?]> = [
  ['get', (s) => `/api/v1/events/${s}`, 'json'],
  ['post', (s) => `/api/v1/events/${s}/rsvps`, 'json', rsvpPayload()],
  ['get', (s) => `/e/${s}`, 'html'],
  ['post', (s) => `/e/${s}`, 'html', { email: 'sam@example.org', givenName: 'Sam' }],
  ['get', (s) => `/embed/e/${s}`, 'html'],
  ['post', (s) => `/embed/e/${s}`, 'html', { email: 'sam@example.org', givenName: 'Sam' }],
  ['get', (s) => `/api/v1/petitions/${s}`, 'json'],
  ['get', (s) => `/api/v1/petitions/${s}/signatures`, 'json'],
  ['post', (s) => `/api/v1/petitions/${s}/signatures`, 'json', { ...signupPayload(), consent: undefined }],
  ['get', (s) => `/p/${s}`, 'html'],
  ['post', (s) => `/p/${s}`, 'html', { email: 'sam@example.org', givenName: 'Sam', country: 'FR' }],
  ['get', (s) => `/embed/p/${s}`, 'html'],
  ['post', (s) => `/embed/p/${s}`, 'html', { email: 'sam@example.org', givenName: 'Sam', country: 'FR' }],
];

const BAD_SLUGS: Array<[string, string]> = [
  ['a NUL byte', '%00'],
  ['a NUL byte inside', 'a%00b'],
  ['a right-to-left override', 'a%E2%80%AEb'],
  ['upper case and a dot', 'A.b'],
  ['101 characters', 'a'.repeat(101)],
];

/**
 * Hostile input that once answered 500 (issue 19, finding 5): a 4xx in the contract's shape
 * now, decided at the edge, and PostgreSQL's data exceptions mapped to a 400 behind it.
 */
describe('hostile cursors and slugs', () => {
  let platform: Platform;
  let adminKey: string;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
    adminKey = (await createOrganizer(platform.api, 'admin')).apiKey;
  });
  afterAll(() => platform.close());

  const cursorCases = CURSOR_ROUTES.flatMap(([path, who]) => BAD_CURSORS.map(([what, cursor]) => [path, what, who, cursor] as const));
  it.each(cursorCases)('GET %s with a cursor holding %s answers 400 naming the cursor', async (path, _what, who, cursor) => {
    const req = http().get(path).query({ cursor });
    const res = await (who === 'admin' ? req.set('authorization', `Bearer ${adminKey}`) : req);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Validation failed',
      details: [{ field: 'cursor', message: 'cursor is not valid' }],
    });
  });

  const slugCases = SLUG_ROUTES.flatMap(([method, path, kind, body]) =>
    BAD_SLUGS.map(([what, slug]) => [method.toUpperCase(), path(slug), what, kind, body] as const),
  );
  it.each(slugCases)('%s %s (%s) answers 404', async (method, path, _what, kind, body) => {
    const req = method === 'GET' ? http().get(path) : http().post(path);
    const res = await (body === undefined ? req : kind === 'html' ? req.type('form').send(body) : req.send(body));
    expect(res.status).toBe(404);
    if (kind === 'json') expect(res.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) as string });
    else expect(res.headers['content-type']).toMatch(/^text\/html/);
  });

  it.each([
    ['22P02', 'text that is no UUID', `SELECT $1::uuid`, ['-'.repeat(36)]],
    ['22003', 'a number out of range', `SELECT $1::bigint`, ['99999999999999999999']],
    ['22021', 'a NUL byte', `SELECT $1::text`, ['a\u0000b']],
  ])('maps a data exception PostgreSQL raises (%s, %s) to a 400, as the last line behind the edge', async (code, _what, sql, params) => {
    const error: unknown = await platform.db.query(sql, params).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect((error as { driverError?: { code?: string } }).driverError?.code).toBe(code);
    const logger = { warn: jest.fn(), error: jest.fn() };
    expect(toErrorResponse(error, 'request-1', logger as unknown as Logger)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'A value in the request is malformed or out of range',
    });
    expect(logger.error).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenCalledWith({ err: error, requestId: 'request-1' }, expect.any(String));
  });
});
