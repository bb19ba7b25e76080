import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { cellSql } from '../src/exports/csv-export.repository';
import { createOrganizer } from './factories/organizer.factory';
import { createList, createPerson } from './factories/person.factory';
import { csvRecords, rawBody } from './support/csv';
import { Platform, startPlatform } from './support/platform';

const INJECTIONS = ['=HYPERLINK("http://evil.test","click")', '+1', '-1', '@SUM(1)', '\tTAB', '\rCR'];
/**
 * Defence in depth (issue 19): invisible format characters before the formula, full-width
 * formula characters, a later line that starts with =.
 */
const HIDDEN_INJECTIONS = [
  '\u200b=HYPERLINK("http://evil.test","click")',
  '\u200e\u200f+1',
  '\u202e-1',
  '\ufeff@SUM(1)',
  '\u00ad=1',
  '\u2066\u2069=1',
  '\uff1d1+1',
  '\uff0b1',
  '\uff0d1',
  '\uff20SUM(1)',
  'Amal\n=HYPERLINK("http://evil.test")',
  'Amal\r\n\u200b=1',
  'Amal\r\uff1d1',
];
/** Left as they are: nothing in them can start a formula. */
const HARMLESS = ['\u200bSam', 'Amal\n+1', 'one\ntwo', 'x=1', '1-2', 'أمل', 'a\u200c=b'];

describe('people.csv export: streamed, parseable, Arabic intact, injection neutralised, audited', () => {
  let platform: Platform;
  let organizer: { id: string; apiKey: string };
  const api = () => request(platform.api.getHttpServer());
  const download = (query: string) =>
    api().get(`/api/v1/admin/exports/people.csv?${query}`).set('authorization', `Bearer ${organizer.apiKey}`).buffer(true).parse(rawBody);
  const tagOf = () => `x-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
    organizer = await createOrganizer(platform.api, 'organizer');
  });
  afterAll(() => platform.close());

  it('answers UTF-8 CSV with a header row (a BOM on ?bom=1); Arabic, Persian, quotes and commas survive', async () => {
    const tag = tagOf();
    const list = await createList(platform.db);
    const amal = await createPerson(platform.db, {
      givenName: 'أمل',
      familyName: 'حداد، "الصغيرة"',
      country: 'LB',
      language: 'ar',
      lists: [list.slug],
      tags: [tag],
    });
    const sara = await createPerson(platform.db, {
      givenName: 'سارا',
      familyName: "O'Neil, Jr.",
      // Not IR: a protected country's people keep no postal code (test/safety.e2e.test.ts).
      country: 'AF',
      language: 'fa',
      postalCode: '1234 56',
      tags: [tag],
    });

    const res = await download(`tag=${tag}&include=lists,tags&bom=1`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="people.csv"');
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(body.subarray(3).toString('utf8').split('\n')[0]).toBe(
      'id,email,givenName,familyName,country,postalCode,language,confirmedAt,createdAt,lists,tags,protected',
    );
    const rows = csvRecords(res).sort((a, b) => a.email.localeCompare(b.email));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(rows).toHaveLength(2);
    expect(byId.get(amal.id)).toEqual(
      expect.objectContaining({
        email: amal.email,
        givenName: 'أمل',
        familyName: 'حداد، "الصغيرة"',
        country: 'LB',
        language: 'ar',
        lists: list.slug,
        tags: tag,
      }),
    );
    expect(byId.get(sara.id)).toEqual(
      expect.objectContaining({ givenName: 'سارا', familyName: "O'Neil, Jr.", postalCode: '1234 56', lists: '' }),
    );
    expect(byId.get(sara.id)?.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // RFC 4180: the cell with quotes and a comma is quoted, its quotes doubled.
    expect(body.toString('utf8')).toContain('"حداد، ""الصغيرة"""');

    // By default no BOM: a plain CSV parser reads the first header as "id".
    for (const query of [`tag=${tag}`, `tag=${tag}&bom=0`]) {
      const plain = await download(query).expect(200);
      expect((plain.body as Buffer).subarray(0, 2).toString('utf8')).toBe('id');
    }
    await download('bom=2').expect(400);
    await download('include=phone').expect(400);
  });

  it.each(INJECTIONS)('neutralises a cell beginning with %j', async (payload) => {
    const tag = tagOf();
    const person = await createPerson(platform.db, { givenName: payload, familyName: payload, postalCode: null, tags: [tag] });
    const [row] = csvRecords(await download(`tag=${tag}`).expect(200));
    expect(row.id).toBe(person.id);
    expect(row.givenName).toBe(`'${payload}`);
    expect(row.familyName).toBe(`'${payload}`);
  });

  it.each(HIDDEN_INJECTIONS)('neutralises a cell whose formula hides behind %j', async (payload) => {
    const tag = tagOf();
    const person = await createPerson(platform.db, { givenName: payload, familyName: payload, postalCode: null, tags: [tag] });
    const [row] = csvRecords(await download(`tag=${tag}`).expect(200));
    expect(row.id).toBe(person.id);
    expect(row.givenName).toBe(`'${payload}`);
    expect(row.familyName).toBe(`'${payload}`);
  });

  it('leaves cells that cannot start a formula as they are', async () => {
    const tag = tagOf();
    for (const name of HARMLESS) await createPerson(platform.db, { givenName: name, tags: [tag] });
    const names = csvRecords(await download(`tag=${tag}`).expect(200)).map((r) => r.givenName);
    expect(names.sort()).toEqual([...HARMLESS].sort());
  });

  it('the cheap test, the token form and the one-pattern form of a cell agree on PostgreSQL itself', async () => {
    const values = [...INJECTIONS, ...HIDDEN_INJECTIONS, ...HARMLESS, '', null];
    const rows: Array<{ v: string | null; text: string | null; token: string | null; expr: string | null }> = await platform.db.query(
      `SELECT v, ${cellSql({ header: 'a', sql: 't.v' })} AS text, ${cellSql({ header: 'b', sql: 't.v', type: 'token' })} AS token,
              ${cellSql({ header: 'c', sql: '(SELECT t.v)' })} AS expr
       FROM unnest($1::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n`,
      [values],
    );
    for (const r of rows) {
      const quoted = [...INJECTIONS, ...HIDDEN_INJECTIONS].includes(r.v ?? '');
      expect(r.text).toBe(r.v === null ? null : quoted ? `'${r.v}` : r.v);
      expect(r.expr).toBe(r.text);
      // A token never holds a line break: only the later-lines check differs.
      if (!/[\r\n]/.test(r.v ?? '')) expect(r.token).toBe(r.text);
    }
  });

  it('applies the people filters (list, country, language, tag, email)', async () => {
    const tag = tagOf();
    const list = await createList(platform.db);
    const a = await createPerson(platform.db, { country: 'TN', language: 'ar', lists: [list.slug], tags: [tag] });
    const b = await createPerson(platform.db, { country: 'TN', language: 'fr', tags: [tag] });
    const ids = async (q: string) =>
      csvRecords(await download(`tag=${tag}&${q}`).expect(200))
        .map((r) => r.id)
        .sort();
    expect(await ids('')).toEqual([a.id, b.id].sort());
    expect(await ids(`list=${list.slug}`)).toEqual([a.id]);
    expect(await ids('language=fr&country=TN')).toEqual([b.id]);
    expect(await ids(`email=${encodeURIComponent(b.email)}`)).toEqual([b.id]);
    expect(await ids(`list=${list.slug}&language=fr`)).toEqual([]);
  });

  it('records each export in the audit log: who, filters (an address only as present), rows', async () => {
    const tag = tagOf();
    const person = await createPerson(platform.db, { tags: [tag] });
    await createPerson(platform.db, { tags: [tag] });
    await download(`tag=${tag}&country=FR`).expect(200);
    await download(`tag=${tag}&email=${encodeURIComponent(person.email)}`).expect(200);
    const entries = await platform.db.query(
      `SELECT organizer_id, api_key_id IS NOT NULL AS has_key, ip IS NOT NULL AS has_ip, details FROM audit_log
       WHERE action = 'export.people' AND details->'filters'->>'tag' = $1 ORDER BY created_at`,
      [tag],
    );
    expect(entries).toEqual([
      {
        organizer_id: organizer.id,
        has_key: true,
        has_ip: true,
        details: { filters: { tag, country: 'FR' }, bom: false, rows: 2, completed: true },
      },
      {
        organizer_id: organizer.id,
        has_key: true,
        has_ip: true,
        details: { filters: { tag, email: '(given)' }, bom: false, rows: 1, completed: true },
      },
    ]);
    expect(JSON.stringify(entries)).not.toContain(person.email);
  });

  it('refuses viewers (403) and requests without a key (401), and records nothing for them', async () => {
    const viewer = await createOrganizer(platform.api, 'viewer');
    await api().get('/api/v1/admin/exports/people.csv').expect(401);
    const res = await api().get('/api/v1/admin/exports/people.csv').set('authorization', `Bearer ${viewer.apiKey}`).expect(403);
    expect(res.body.statusCode).toBe(403);
    const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE organizer_id = $1`, [viewer.id]);
    expect(n).toBe(0);
  });

  it('streams a large export completely, every row once', async () => {
    const tag = tagOf();
    await platform.db.query(
      `WITH p AS (
         INSERT INTO people (email, email_normalized, given_name, country, language)
         SELECT 'bulk-' || g || '-' || $1 || '@example.org', 'bulk-' || g || '-' || $1 || '@example.org', 'نام ' || g, 'IR', 'fa'
         FROM generate_series(1, 20000) g RETURNING id)
       INSERT INTO person_tags (person_id, tag) SELECT id, $1 FROM p`,
      [tag],
    );
    const res = await download(`tag=${tag}`).expect(200);
    const rows = csvRecords(res);
    expect(rows).toHaveLength(20000);
    expect(new Set(rows.map((r) => r.email)).size).toBe(20000);
    expect(rows.every((r) => r.givenName.startsWith('نام '))).toBe(true);
  });

  it('a client that hangs up mid-download frees its connection and is logged as incomplete', async () => {
    const tag = tagOf();
    await platform.db.query(
      `WITH p AS (
         INSERT INTO people (email, email_normalized, given_name) SELECT 'gone-' || g || '-' || $1 || '@example.org', 'gone-' || g || '-' || $1 || '@example.org', repeat('x', 200)
         FROM generate_series(1, 30000) g RETURNING id)
       INSERT INTO person_tags (person_id, tag) SELECT id, $1 FROM p`,
      [tag],
    );
    const server: http.Server = platform.api.getHttpServer();
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // More aborted downloads than the export pool has connections: none may stay taken.
    for (let i = 0; i < 6; i++) {
      await new Promise<void>((resolve, reject) => {
        const req = http.get(
          {
            port,
            host: '127.0.0.1',
            path: `/api/v1/admin/exports/people.csv?tag=${tag}`,
            headers: { authorization: `Bearer ${organizer.apiKey}` },
          },
          (res) => {
            res.once('data', () => {
              req.destroy();
              resolve();
            });
          },
        );
        req.on('error', (err) => (req.destroyed ? resolve() : reject(err)));
      });
    }
    const deadline = Date.now() + 10_000;
    let incomplete = 0;
    while (Date.now() < deadline && incomplete < 6) {
      const [{ n }] = await platform.db.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'export.people' AND details->'filters'->>'tag' = $1 AND details->>'completed' = 'false'`,
        [tag],
      );
      incomplete = n;
      if (incomplete < 6) await new Promise((r) => setTimeout(r, 50));
    }
    expect(incomplete).toBe(6);
    expect(csvRecords(await download(`tag=${tag}`).expect(200))).toHaveLength(30000);
  });
});
