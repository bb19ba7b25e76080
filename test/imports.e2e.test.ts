import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { createOrganizer } from './factories/organizer.factory';
import { createList, createPerson } from './factories/person.factory';
import { uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { ROOT } from './support/processes';

describe('people imports (text/csv, streamed)', () => {
  let platform: Platform;
  let organizer: { id: string; apiKey: string };
  const http = () => request(platform.api.getHttpServer());
  const post = (query: string, csv: string | Buffer) =>
    http()
      .post(`/api/v1/admin/imports/people${query}`)
      .set('authorization', `Bearer ${organizer.apiKey}`)
      .set('content-type', 'text/csv')
      .send(csv);
  const personByEmail = async (email: string) =>
    (await platform.db.query(`SELECT * FROM people WHERE email_normalized = lower($1)`, [email]))[0] as Record<string, unknown> | undefined;
  const subscriptionsOf = async (personId: unknown) =>
    platform.db.query(
      `SELECT l.slug, s.status FROM subscriptions s JOIN lists l ON l.id = s.list_id WHERE s.person_id = $1 ORDER BY l.slug`,
      [personId],
    );

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
    organizer = await createOrganizer(platform.api, 'organizer');
  });
  afterAll(() => platform.close());

  it('reports good and bad lines exactly, subscribes with ?consent=confirmed and records the vouching organizer', async () => {
    const main = await createList(platform.db, 'main');
    const extra = await createList(platform.db, 'extra');
    const [a, b, c, d] = [uniqueEmail('imp'), uniqueEmail('imp'), uniqueEmail('imp'), uniqueEmail('imp')];
    const existing = await createPerson(platform.db, { confirmed: false, givenName: 'Old', country: 'DE' });
    const csv = [
      'email,givenName,familyName,country,postalCode,language,lists', // 1
      `${a},أمل,حداد,lb,1107,ar,${extra.slug}`, // 2 good (country lower-cased in the file)
      `not-an-address,X,Y,FR,,fr,`, // 3 bad email
      `${b},"Multi`, // 4 quoted cell spanning two lines: a line break in a name
      `line",Z,FR,,en,`, // 5 (part of line 4)
      `${c},Sam,Rivera,XX,,en,`, // 6 bad country
      `${d},Sam,Rivera,FR,,en,nope-list`, // 7 unknown list
      `${existing.email.toUpperCase()},New,Name,FR,,fr,${main.slug}|${extra.slug}`, // 8 update
      `${d},Ok,Fine,FR,,en-GB,${main.slug};${extra.slug}`, // 9 good
      `${uniqueEmail('imp')},Too,Many,FR,,en,,extra`, // 10 wrong field count
      ``, // 11 empty: skipped
      `,NoEmail,X,FR,,en,`, // 12 no email
      `${uniqueEmail('imp')},"=cmd",X,FR,,english!,`, // 13 bad language
    ].join('\n');
    const res = await post(`?consent=confirmed&list=${main.slug}`, csv).expect(200);
    expect(res.body).toEqual({
      imported: 2,
      updated: 1,
      rejectedCount: 7,
      rejected: [
        { line: 3, reason: 'email must be an email address' },
        { line: 4, reason: 'givenName must be a single line without control or direction-override characters' },
        { line: 6, reason: 'country must be an ISO 3166-1 alpha-2 code' },
        { line: 7, reason: 'unknown list "nope-list"' },
        { line: 10, reason: 'expected 7 fields, found 8' },
        { line: 12, reason: 'email is required' },
        { line: 13, reason: 'language must be a BCP 47 language tag (e.g. en, ar, fa-IR)' },
      ],
    });

    const amal = await personByEmail(a);
    expect(amal).toEqual(
      expect.objectContaining({
        given_name: 'أمل',
        family_name: 'حداد',
        country: 'LB',
        postal_code: '1107',
        language: 'ar',
        confirmed_at: null,
      }),
    );
    expect(await subscriptionsOf(amal?.id)).toEqual(
      [
        { slug: main.slug, status: 'subscribed' },
        { slug: extra.slug, status: 'subscribed' },
      ].sort((x, y) => x.slug.localeCompare(y.slug)),
    );
    const consents = await platform.db.query(
      `SELECT action, form, text_version, list_slugs, vouched_by, request_id FROM consent_records WHERE person_id = $1`,
      [amal?.id],
    );
    expect(consents).toEqual([
      {
        action: 'import',
        form: 'admin-import',
        text_version: 'organizer-vouched',
        list_slugs: [main.slug, extra.slug].sort(),
        vouched_by: organizer.id,
        request_id: expect.any(String),
      },
    ]);
    // An unconfirmed person's details are replaced by the organizer's file.
    expect(await personByEmail(existing.email)).toEqual(expect.objectContaining({ given_name: 'New', country: 'FR', language: 'fr' }));
    expect(await personByEmail(b)).toBeUndefined();
    expect(await personByEmail(c)).toBeUndefined();
    expect(await personByEmail(d)).toEqual(expect.objectContaining({ given_name: 'Ok', language: 'en-GB' }));

    const [audit] = await platform.db.query(
      `SELECT organizer_id, target_id, details FROM audit_log WHERE action = 'people.import' AND target_id = $1`,
      [consents[0].request_id],
    );
    expect(audit).toEqual({
      organizer_id: organizer.id,
      target_id: consents[0].request_id,
      details: {
        via: 'api',
        completed: true,
        imported: 2,
        updated: 1,
        rejected: 7,
        consent: 'confirmed',
        lists: [main.slug],
        overwrite: false,
      },
    });
  });

  it('without ?consent=confirmed creates and updates people but subscribes no one and records no consent', async () => {
    const list = await createList(platform.db);
    const email = uniqueEmail('noconsent');
    const res = await post(`?list=${list.slug}`, `email,givenName\n${email},Noor\n`).expect(200);
    expect(res.body).toEqual({ imported: 1, updated: 0, rejected: [], rejectedCount: 0 });
    const person = await personByEmail(email);
    expect(person?.given_name).toBe('Noor');
    expect(await subscriptionsOf(person?.id)).toEqual([]);
    const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM consent_records WHERE person_id = $1`, [person?.id]);
    expect(n).toBe(0);
  });

  it('with ?consent=confirmed, a line naming no list joins the default list, as a sign-up does', async () => {
    const [defaultList] = await platform.db.query(`SELECT slug FROM lists WHERE is_default`);
    expect(defaultList).toBeDefined();
    const other = await createList(platform.db);
    const [bare, listed] = [uniqueEmail('nolist'), uniqueEmail('listed')];
    const csv = `email,givenName,lists\n${bare},Noor,\n${listed},Sam,${other.slug}\n`;
    expect((await post('?consent=confirmed', csv).expect(200)).body).toEqual({ imported: 2, updated: 0, rejected: [], rejectedCount: 0 });
    expect(await subscriptionsOf((await personByEmail(bare))?.id)).toEqual([{ slug: defaultList.slug, status: 'subscribed' }]);
    // A line that names a list gets that list only.
    expect(await subscriptionsOf((await personByEmail(listed))?.id)).toEqual([{ slug: other.slug, status: 'subscribed' }]);
  });

  it('trims names and canonicalises the language tag as the public forms do', async () => {
    const [email, persian] = [uniqueEmail('canon'), uniqueEmail('canon')];
    const csv = `email,givenName,familyName,country,language\n${email},"  Ali  ","  Haddad ",lb,EN\n${persian},X,Y,ir,FA-ir\n`;
    expect((await post('', csv).expect(200)).body).toEqual({ imported: 2, updated: 0, rejected: [], rejectedCount: 0 });
    expect(await personByEmail(email)).toEqual(
      expect.objectContaining({ given_name: 'Ali', family_name: 'Haddad', country: 'LB', language: 'en' }),
    );
    expect(await personByEmail(persian)).toEqual(expect.objectContaining({ country: 'IR', language: 'fa-IR' }));
  });

  it('reports a line with broken quotes once', async () => {
    const res = await post('', `email,givenName\n${uniqueEmail('quote')},"x"y`).expect(200);
    expect(res.body).toEqual({ imported: 0, updated: 0, rejected: [{ line: 2, reason: 'malformed CSV (quotes)' }], rejectedCount: 1 });
  });

  it("keeps a confirmed person's own details (fills gaps only) unless ?overwrite=1, and never resubscribes who unsubscribed", async () => {
    const list = await createList(platform.db);
    const confirmed = await createPerson(platform.db, { confirmed: true, givenName: 'Own', postalCode: null, country: 'LB' });
    const left = await createPerson(platform.db, { confirmed: true });
    await platform.db.query(
      `INSERT INTO subscriptions (person_id, list_id, status, unsubscribed_at) VALUES ($1, $2, 'unsubscribed', now())`,
      [left.id, list.id],
    );
    const csv = `email,givenName,country,postalCode\n${confirmed.email},Other,FR,75001\n${left.email},,,\n`;
    expect((await post(`?consent=confirmed&list=${list.slug}`, csv).expect(200)).body).toEqual({
      imported: 0,
      updated: 2,
      rejected: [],
      rejectedCount: 0,
    });
    expect(await personByEmail(confirmed.email)).toEqual(
      expect.objectContaining({ given_name: 'Own', country: 'LB', postal_code: '75001' }),
    );
    expect(await subscriptionsOf(left.id)).toEqual([{ slug: list.slug, status: 'unsubscribed' }]);
    const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM consent_records WHERE person_id = $1`, [left.id]);
    expect(n).toBe(0);

    await post('?overwrite=1', `email,givenName,country\n${confirmed.email},Other,FR\n`).expect(200);
    expect(await personByEmail(confirmed.email)).toEqual(expect.objectContaining({ given_name: 'Other', country: 'FR' }));
  });

  it('does not bring back an erased address', async () => {
    const admin = await createOrganizer(platform.api, 'admin');
    const person = await createPerson(platform.db);
    await http().delete(`/api/v1/admin/people/${person.id}`).set('authorization', `Bearer ${admin.apiKey}`).expect(204);
    const res = await post('', `email\n${person.email}\n`).expect(200);
    expect(res.body).toEqual({
      imported: 0,
      updated: 0,
      rejectedCount: 1,
      rejected: [{ line: 2, reason: 'the address is suppressed (erased, bounced or complained) and cannot be imported' }],
    });
    expect(await personByEmail(person.email)).toBeUndefined();
  });

  it('handles a file of thousands of lines with a BOM and CRLF, in batches, and repeated addresses', async () => {
    const tag = randomUUID().slice(0, 8);
    const lines = ['\uFEFFemail,givenName,country'];
    for (let i = 0; i < 3000; i++) lines.push(`bulk-${tag}-${i}@example.org,نام ${i},IR`);
    lines.push(`bulk-${tag}-0@example.org,Again,IR`);
    const res = await post('', lines.join('\r\n')).expect(200);
    expect(res.body).toEqual({ imported: 3000, updated: 1, rejected: [], rejectedCount: 0 });
    expect(await personByEmail(`bulk-${tag}-0@example.org`)).toEqual(expect.objectContaining({ given_name: 'Again' }));
    expect(await personByEmail(`bulk-${tag}-2999@example.org`)).toEqual(expect.objectContaining({ given_name: 'نام 2999' }));
  });

  it('refuses bad headers, unknown ?list, other content types; a body over 1 MiB elsewhere still gets 413', async () => {
    expect((await post('', 'email,shoeSize\na@example.org,44\n').expect(400)).body.message).toMatch(/Unknown column/);
    await post('', 'givenName\nX\n').expect(400);
    await post('', '').expect(400);
    await post('?list=no-such-list', 'email\n').expect(400);
    await post('?consent=yes', 'email\n').expect(400);
    await http()
      .post('/api/v1/admin/imports/people')
      .set('authorization', `Bearer ${organizer.apiKey}`)
      .send({ email: 'x@example.org' })
      .expect(415);
    await http().post('/api/v1/signups').set('content-type', 'text/csv').send('email\n').expect(415);
    const big = JSON.stringify({ email: 'x@example.org', consent: true, source: 'x'.repeat(1024 * 1024 + 10) });
    await http().post('/api/v1/signups').set('content-type', 'application/json').send(big).expect(413);
  });

  it('accepts an import over 1 MiB (the import has its own 50 MB limit) and refuses one declared over 50 MB', async () => {
    const tag = randomUUID().slice(0, 8);
    const lines = ['email,givenName,familyName'];
    const filler = 'ا'.repeat(90);
    for (let i = 0; i < 6000; i++) lines.push(`big-${tag}-${i}@example.org,${filler},${filler}`);
    const csv = lines.join('\n');
    expect(Buffer.byteLength(csv)).toBeGreaterThan(2 * 1024 * 1024);
    expect((await post('', csv).expect(200)).body).toEqual({ imported: 6000, updated: 0, rejected: [], rejectedCount: 0 });
    const res = await http()
      .post('/api/v1/admin/imports/people')
      .set('authorization', `Bearer ${organizer.apiKey}`)
      .set('content-type', 'text/csv')
      .set('content-length', String(51 * 1024 * 1024))
      .send('email\n')
      .catch((err: { status?: number; response?: { status: number } }) => err.response ?? err);
    expect(res.status).toBe(413);
  });

  it('the CLI imports a file with the same service: progress on stderr, the report as JSON on stdout', async () => {
    const list = await createList(platform.db, 'cli');
    const [a, b] = [uniqueEmail('cli'), uniqueEmail('cli')];
    const file = join(mkdtempSync(join(tmpdir(), 'import-')), 'people.csv');
    writeFileSync(file, `email,givenName,country\n${a},سارا,IR\nnot-an-address,X,FR\n${b},Sam,FR\n`);
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['dist/cli.js', 'people:import', file, '--list', list.slug, '--consent', 'confirmed'],
      { cwd: ROOT, env: process.env },
    );
    expect(JSON.parse(stdout)).toEqual({
      imported: 2,
      updated: 0,
      rejected: [{ line: 3, reason: 'email must be an email address' }],
      rejectedCount: 1,
    });
    expect(stderr).toContain('100%');
    const person = await personByEmail(a);
    expect(person?.given_name).toBe('سارا');
    expect(await subscriptionsOf(person?.id)).toEqual([{ slug: list.slug, status: 'subscribed' }]);
    const [consent] = await platform.db.query(`SELECT action, form, vouched_by FROM consent_records WHERE person_id = $1`, [person?.id]);
    expect(consent).toEqual({ action: 'import', form: 'cli-import', vouched_by: null });
  });
});
