import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { SuppressionRepository } from '../src/mail/suppression.repository';
import { createOrganizer } from './factories/organizer.factory';
import { createList, createPerson } from './factories/person.factory';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { signupPayload } from './factories/signup.factory';
import { csvRecords, rawBody } from './support/csv';
import { Platform, startPlatform } from './support/platform';
import { SmtpSink } from './support/smtp-sink';

describe('people for organizers: filters, paging, detail, tags, erasure, subject access', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizer: { id: string; apiKey: string };
  let admin: { id: string; apiKey: string };
  let viewer: { id: string; apiKey: string };
  const http = () => request(platform.api.getHttpServer());
  const get = (path: string, key = organizer.apiKey) => http().get(path).set('authorization', `Bearer ${key}`);
  const tagOf = () => `t-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    organizer = await createOrganizer(platform.api, 'organizer');
    admin = await createOrganizer(platform.api, 'admin');
    viewer = await createOrganizer(platform.api, 'viewer');
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  it('filters by country, language (with regions), list, tag and address, each alone and together', async () => {
    const tag = tagOf();
    const list = await createList(platform.db);
    const lb = await createPerson(platform.db, { country: 'LB', language: 'ar', lists: [list.slug], tags: [tag] });
    const eg = await createPerson(platform.db, { country: 'EG', language: 'ar-EG', tags: [tag] });
    const fr = await createPerson(platform.db, { country: 'FR', language: 'fr', lists: [list.slug], tags: [tag] });
    const ids = async (query: string) =>
      ((await get(`/api/v1/admin/people?tag=${tag}&${query}`).expect(200)).body.items as Array<{ id: string }>).map((p) => p.id).sort();

    expect(await ids('')).toEqual([lb.id, eg.id, fr.id].sort());
    expect(await ids('country=LB')).toEqual([lb.id]);
    expect(await ids('country=lb')).toEqual([lb.id]);
    expect(await ids('language=ar')).toEqual([lb.id, eg.id].sort());
    expect(await ids('language=ar-EG')).toEqual([eg.id]);
    expect(await ids('language=AR-eg')).toEqual([eg.id]);
    expect(await ids(`list=${list.slug}`)).toEqual([lb.id, fr.id].sort());
    expect(await ids(`list=${list.slug}&language=ar`)).toEqual([lb.id]);
    expect(await ids(`email=${encodeURIComponent(`  ${eg.email.toUpperCase()} `)}`)).toEqual([eg.id]);
    expect(await ids('country=LB&language=fr')).toEqual([]);

    const page = await get(`/api/v1/admin/people?email=${encodeURIComponent(lb.email)}`).expect(200);
    expect(page.body.items[0]).toEqual(
      expect.objectContaining({ id: lb.id, email: lb.email, country: 'LB', language: 'ar', tags: [tag], givenName: 'Sam' }),
    );
    await get('/api/v1/admin/people?country=XX').expect(400);
    await get('/api/v1/admin/people?tag=Not%20A%20Tag').expect(400);
    await get('/api/v1/admin/people?color=red').expect(400);
  });

  it('pages newest first with a cursor, every person once, even when they share a timestamp', async () => {
    const tag = tagOf();
    const created: string[] = [];
    for (let i = 0; i < 3; i++)
      created.push((await createPerson(platform.db, { tags: [tag], createdAt: new Date(Date.UTC(2026, 0, 1 + i)) })).id);
    // Two more in the same instant: the id breaks the tie.
    const same = new Date(Date.UTC(2026, 0, 10));
    created.push((await createPerson(platform.db, { tags: [tag], createdAt: same })).id);
    created.push((await createPerson(platform.db, { tags: [tag], createdAt: same })).id);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await get(`/api/v1/admin/people?tag=${tag}&limit=2${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      seen.push(...(res.body.items as Array<{ id: string }>).map((p) => p.id));
      cursor = res.body.nextCursor as string | null;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(created));
    expect(seen.slice(2)).toEqual([created[2], created[1], created[0]]);
    await get('/api/v1/admin/people?cursor=garbage').expect(400);
  });

  it('shows one person with subscriptions, consent records, signatures and RSVPs; tags are set and removed', async () => {
    const list = await createList(platform.db);
    const person = await createPerson(platform.db, { givenName: 'أمل', familyName: 'حداد', lists: [list.slug] });
    await platform.db.query(
      `INSERT INTO consent_records (person_id, action, form, text_version, list_slugs, given_at) VALUES ($1, 'signup', 'homepage', 'v1', $2, now())`,
      [person.id, [list.slug]],
    );
    const tag = tagOf();
    await http().put(`/api/v1/admin/people/${person.id}/tags/${tag}`).set('authorization', `Bearer ${organizer.apiKey}`).expect(204);
    await http().put(`/api/v1/admin/people/${person.id}/tags/${tag}`).set('authorization', `Bearer ${organizer.apiKey}`).expect(204);
    const detail = await get(`/api/v1/admin/people/${person.id}`).expect(200);
    expect(detail.body).toEqual(
      expect.objectContaining({
        id: person.id,
        givenName: 'أمل',
        familyName: 'حداد',
        tags: [tag],
        subscriptions: [expect.objectContaining({ list: list.slug, status: 'subscribed' })],
        consentRecords: [expect.objectContaining({ action: 'signup', form: 'homepage', lists: [list.slug] })],
        signatures: [],
        rsvps: [],
      }),
    );
    expect((await get(`/api/v1/admin/people?tag=${tag}`).expect(200)).body.items).toHaveLength(1);
    await http().delete(`/api/v1/admin/people/${person.id}/tags/${tag}`).set('authorization', `Bearer ${organizer.apiKey}`).expect(204);
    expect((await get(`/api/v1/admin/people?tag=${tag}`).expect(200)).body.items).toHaveLength(0);
    await http().put(`/api/v1/admin/people/${randomUUID()}/tags/${tag}`).set('authorization', `Bearer ${organizer.apiKey}`).expect(404);
    await http().put(`/api/v1/admin/people/${person.id}/tags/BAD_TAG`).set('authorization', `Bearer ${organizer.apiKey}`).expect(400);
    await get(`/api/v1/admin/people/${randomUUID()}`).expect(404);

    const [entry] = await platform.db.query(
      `SELECT organizer_id, details FROM audit_log WHERE action = 'person.tag' AND target_id = $1 LIMIT 1`,
      [person.id],
    );
    expect(entry.organizer_id).toBe(organizer.id);
    expect(entry.details).toEqual({ params: { tag } });
  });

  it('needs a key (401); viewers read one person but get 403 on lists, exports, imports and erasure; organizers erase', async () => {
    const person = await createPerson(platform.db);
    await http().get('/api/v1/admin/people').expect(401);
    await http().get('/api/v1/admin/exports/people.csv').expect(401);
    for (const path of [
      '/api/v1/admin/people',
      `/api/v1/admin/people/${person.id}/export`,
      '/api/v1/admin/exports/people.csv',
      '/api/v1/admin/audit-log',
    ]) {
      const res = await get(path, viewer.apiKey);
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.any(String) });
    }
    await http()
      .post('/api/v1/admin/imports/people')
      .set('authorization', `Bearer ${viewer.apiKey}`)
      .type('text/csv')
      .send('email\n')
      .expect(403);
    await http().delete(`/api/v1/admin/people/${person.id}`).set('authorization', `Bearer ${viewer.apiKey}`).expect(403);
    await get('/api/v1/admin/audit-log', organizer.apiKey).expect(403);
    // One record is not personal data in bulk: a viewer may read it, and the read is audited.
    const read = await get(`/api/v1/admin/people/${person.id}`, viewer.apiKey).expect(200);
    expect(read.body.email).toBe(person.email);
    const [{ n: reads }] = await platform.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'person.read' AND target_id = $1 AND organizer_id = $2`,
      [person.id, viewer.id],
    );
    expect(reads).toBe(1);
    // Erasure is people work: an organizer may do it, and it is audited.
    await http().delete(`/api/v1/admin/people/${person.id}`).set('authorization', `Bearer ${organizer.apiKey}`).expect(204);
    const [{ n: erasures }] = await platform.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'person.erase' AND target_id = $1 AND organizer_id = $2`,
      [person.id, organizer.id],
    );
    expect(erasures).toBe(1);
  });

  it('gives everything held about a person as JSON (subject access), and audits it', async () => {
    const list = await createList(platform.db);
    const person = await createPerson(platform.db, { lists: [list.slug], givenName: 'Zahra' });
    const res = await get(`/api/v1/admin/people/${person.id}/export`).expect(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        generatedAt: expect.any(String),
        id: person.id,
        email: person.email,
        givenName: 'Zahra',
        subscriptions: [expect.objectContaining({ list: list.slug })],
        consentRecords: [],
        signups: [],
        emails: [],
        signatures: [],
        rsvps: [],
      }),
    );
    const [{ n }] = await platform.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'person.access-export' AND target_id = $1`,
      [person.id],
    );
    expect(n).toBe(1);
  });

  it('erases a person: gone from the API and exports, suppressed by keyed hash, never mailed again', async () => {
    const list = await createList(platform.db);
    const tag = tagOf();
    const person = await createPerson(platform.db, { lists: [list.slug], tags: [tag], givenName: 'Erased', familyName: 'Person' });
    await platform.db.query(
      `INSERT INTO signups (email, email_normalized, given_name, consent_text_version, status, person_id) VALUES ($1, lower($1), 'Erased', 'v1', 'confirmed', $2)`,
      [person.email, person.id],
    );
    await platform.db.query(
      `INSERT INTO consent_records (person_id, action, form, text_version, given_at) VALUES ($1, 'signup', 'f', 'v1', now())`,
      [person.id],
    );

    await http().delete(`/api/v1/admin/people/${person.id}`).set('authorization', `Bearer ${admin.apiKey}`).expect(204);
    await http().delete(`/api/v1/admin/people/${person.id}`).set('authorization', `Bearer ${admin.apiKey}`).expect(404);

    await get(`/api/v1/admin/people/${person.id}`).expect(404);
    expect((await get(`/api/v1/admin/people?email=${encodeURIComponent(person.email)}`).expect(200)).body.items).toEqual([]);
    const csv = await get(`/api/v1/admin/exports/people.csv?list=${list.slug}`).buffer(true).parse(rawBody).expect(200);
    expect(csvRecords(csv)).toEqual([]);
    const all = await get(`/api/v1/admin/exports/people.csv?tag=${tag}`).buffer(true).parse(rawBody).expect(200);
    expect(all.body.toString('utf8')).not.toContain(person.email);

    // Nothing in the database still holds the address or the person.
    for (const [table, column] of [
      ['people', 'email_normalized'],
      ['signups', 'email_normalized'],
    ]) {
      const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = lower($1)`, [person.email]);
      expect(n).toBe(0);
    }
    for (const table of ['subscriptions', 'consent_records', 'person_tags', 'signups', 'email_messages', 'action_tokens']) {
      const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE person_id = $1`, [person.id]);
      expect(n).toBe(0);
    }
    const suppressions = platform.api.get(SuppressionRepository);
    expect(await suppressions.isSuppressed(person.email)).toBe(true);
    const [suppression] = await platform.db.query(`SELECT reason FROM suppressions WHERE email_hash = $1`, [
      suppressions.hashOf(person.email),
    ]);
    expect(suppression.reason).toBe('erasure');

    const [audit] = await platform.db.query(
      `SELECT organizer_id, details FROM audit_log WHERE action = 'person.erase' AND target_id = $1`,
      [person.id],
    );
    expect(audit.organizer_id).toBe(admin.id);
    expect(JSON.stringify(audit.details)).not.toContain(person.email);

    // A later sign-up, signature or RSVP with the address: no email, no person brought back,
    // and the address does not re-appear anywhere (the worker deletes what the request stored).
    const petition = await createPetition(platform.api);
    const event = await http().post('/api/v1/admin/events').set('authorization', `Bearer ${organizer.apiKey}`).send(eventPayload());
    expect(event.status).toBe(201);
    await http()
      .post('/api/v1/signups')
      .send(signupPayload({ email: person.email }))
      .expect(202);
    await http()
      .post(`/api/v1/petitions/${petition.slug}/signatures`)
      .send(signaturePayload({ email: person.email }))
      .expect(202);
    await http()
      .post(`/api/v1/events/${event.body.slug}/rsvps`)
      .send(rsvpPayload({ email: person.email }))
      .expect(202);
    const leftovers = async (): Promise<number> =>
      Number(
        (
          await platform.db.query(
            `SELECT (SELECT count(*) FROM signups WHERE email_normalized = lower($1))
                  + (SELECT count(*) FROM people WHERE email_normalized = lower($1))
                  + (SELECT count(*) FROM signatures WHERE petition_id = $2)
                  + (SELECT count(*) FROM rsvps WHERE event_id = $3) AS n`,
            [person.email, petition.id, event.body.id],
          )
        )[0].n,
      );
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await leftovers()) > 0) await new Promise((r) => setTimeout(r, 50));
    expect(await leftovers()).toBe(0);
    expect(sink.to(person.email)).toHaveLength(0);
  });

  it('lists the audit log for admins, newest first, with a cursor and an action filter', async () => {
    const person = await createPerson(platform.db);
    for (const tag of ['a-one', 'a-two', 'a-three']) {
      await http().put(`/api/v1/admin/people/${person.id}/tags/${tag}`).set('authorization', `Bearer ${organizer.apiKey}`).expect(204);
    }
    const first = await get('/api/v1/admin/audit-log?action=person.tag&limit=2', admin.apiKey).expect(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0]).toEqual(
      expect.objectContaining({
        action: 'person.tag',
        targetId: person.id,
        organizerId: organizer.id,
        details: { params: { tag: 'a-three' } },
      }),
    );
    expect(first.body.items[1].details).toEqual({ params: { tag: 'a-two' } });
    const next = await get(`/api/v1/admin/audit-log?action=person.tag&limit=2&cursor=${first.body.nextCursor}`, admin.apiKey).expect(200);
    expect(next.body.items[0].details).toEqual({ params: { tag: 'a-one' } });
    const family = await get('/api/v1/admin/audit-log?action=person.&limit=500', admin.apiKey).expect(200);
    expect((family.body.items as Array<{ action: string }>).every((e) => e.action.startsWith('person.'))).toBe(true);
  });
});
