import request from 'supertest';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { createOrganizer } from './factories/organizer.factory';
import { createList, createPerson } from './factories/person.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { RetentionService } from '../src/retention/retention.service';
import { Platform, startPlatform } from './support/platform';
import { actionLink, SmtpSink } from './support/smtp-sink';

/** Incremental sync (contract 8): `?modifiedSince=` on people, signatures and RSVPs, tombstones for erasures. */
describe('incremental sync', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizer: { apiKey: string };
  const http = () => request(platform.api.getHttpServer());
  const get = (path: string) => http().get(path).set('authorization', `Bearer ${organizer.apiKey}`);
  const send = (method: 'put' | 'delete', path: string) => http()[method](path).set('authorization', `Bearer ${organizer.apiKey}`);
  const tick = () => new Promise((r) => setTimeout(r, 5));

  /** Every item of a sync from `since`, page by page (`limit` each), as a client pages. */
  async function syncAll(path: string, since: string, limit = 2): Promise<Array<Record<string, unknown>>> {
    const items: Array<Record<string, unknown>> = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 1000; pages++) {
      const sep = path.includes('?') ? '&' : '?';
      const res = await get(`${path}${sep}modifiedSince=${encodeURIComponent(since)}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      items.push(...(res.body.items as Array<Record<string, unknown>>));
      cursor = res.body.nextCursor as string | null;
      if (!cursor) return items;
    }
    throw new Error('sync did not end');
  }

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    organizer = await createOrganizer(platform.api, 'organizer');
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  it('people: inclusive, oldest change first, every change that matters bumps modifiedAt, erasures come back as tombstones', async () => {
    const list = await createList(platform.db);
    const tag = `sync-${Date.now()}`;
    const a = await createPerson(platform.db, { tags: [tag] });
    const b = await createPerson(platform.db, { tags: [tag], lists: [list.slug] });
    const c = await createPerson(platform.db, { tags: [tag] });
    const [{ t0 }] = await platform.db.query(`SELECT max(modified_at) AS t0 FROM people WHERE id = ANY($1)`, [[a.id, b.id, c.id]]);
    const since = new Date(t0).toISOString();
    await tick();

    // Inclusive: the person changed at exactly `since` (to the millisecond the API speaks) is in.
    const inclusive = await syncAll(`/api/v1/admin/people?tag=${tag}`, since);
    expect(inclusive.map((p) => p.id)).toContain(c.id);

    const mark = new Date().toISOString();
    await tick();
    // Nothing changed since `mark`: a sync finds none of them.
    expect((await syncAll(`/api/v1/admin/people?tag=${tag}`, mark)).map((p) => p.id)).toEqual([]);

    // A tag, a subscription change, details, an erasure: each is seen, oldest change first.
    expect((await send('put', `/api/v1/admin/people/${a.id}/tags/volunteer`)).status).toBe(204);
    await tick();
    await platform.db.query(`UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = now() WHERE person_id = $1`, [b.id]);
    await tick();
    expect((await send('delete', `/api/v1/admin/people/${c.id}`)).status).toBe(204);

    const changed = await syncAll('/api/v1/admin/people', mark, 1);
    const ours = changed.filter((p) => [a.id, b.id, c.id].includes(p.id as string));
    expect(ours.map((p) => p.id)).toEqual([a.id, b.id, c.id]);
    expect(ours[0]).toEqual(expect.objectContaining({ id: a.id, tags: expect.arrayContaining(['volunteer', tag]) }));
    expect(ours[2]).toEqual({ id: c.id, erased: true });
    // Without modifiedSince the list is what it was: no tombstones, newest first.
    const plain = await get(`/api/v1/admin/people?tag=${tag}`).expect(200);
    expect(plain.body.items.map((p: { id: string }) => p.id)).toEqual([b.id, a.id]);
    // Every page is in (modifiedAt, id) order with no repeats, tombstones included.
    const times = changed.filter((p) => !p.erased).map((p) => Date.parse(p.modifiedAt as string));
    expect([...times].sort((x, y) => x - y)).toEqual(times);
    expect(new Set(changed.map((p) => p.id)).size).toBe(changed.length);
  });

  it('a no-op write (an existing signer signing again) does not move modifiedAt; keyset paging survives shared timestamps', async () => {
    const petition = await createPetition(platform.api);
    const person = await createPerson(platform.db, {});
    const [{ before }] = await platform.db.query(`SELECT modified_at AS before FROM people WHERE id = $1`, [person.id]);
    expect(
      (
        await http()
          .post(`/api/v1/petitions/${petition.slug}/signatures`)
          .send(signaturePayload({ email: person.email }))
      ).status,
    ).toBe(202);
    await sink.waitFor(person.email, 1);
    const [{ after }] = await platform.db.query(`SELECT modified_at AS after FROM people WHERE id = $1`, [person.id]);
    expect(new Date(after).getTime()).toBe(new Date(before).getTime());

    // Seven people changed in one instant: pages of two still give each exactly once.
    const tag = `same-${Date.now()}`;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createPerson(platform.db, { tags: [tag] })).id);
    const instant = new Date(Date.now() + 3_600_000);
    await platform.db.query(`UPDATE people SET modified_at = $2 WHERE id = ANY($1)`, [ids, instant]);
    const seen = await syncAll(`/api/v1/admin/people?tag=${tag}`, instant.toISOString(), 2);
    expect(seen.map((p) => p.id)).toEqual([...ids].sort());
  });

  it('signatures and RSVPs: a confirmation is a change; erasure anonymises them and moves them too', async () => {
    const petition = await createPetition(platform.api);
    const payload = signaturePayload();
    const email = payload.email as string;
    expect((await http().post(`/api/v1/petitions/${petition.slug}/signatures`).send(payload)).status).toBe(202);
    const [mail] = await sink.waitFor(email, 1);
    const before = await syncAll(`/api/v1/admin/petitions/${petition.id}/signatures`, '2000-01-01T00:00:00Z');
    expect(before).toEqual([expect.objectContaining({ status: 'pending', email })]);
    const mark = new Date().toISOString();
    await tick();
    expect(await syncAll(`/api/v1/admin/petitions/${petition.id}/signatures`, mark)).toEqual([]);

    expect(
      (
        await http()
          .post(new URL(actionLink(mail)).pathname)
          .type('form')
          .send('')
      ).status,
    ).toBe(200);
    const confirmed = await syncAll(`/api/v1/admin/petitions/${petition.id}/signatures`, mark);
    expect(confirmed).toEqual([expect.objectContaining({ status: 'confirmed', email })]);
    expect(Date.parse(confirmed[0].modifiedAt as string)).toBeGreaterThanOrEqual(Date.parse(mark));

    const admin = await createOrganizer(platform.api, 'admin');
    const ev = await http().post('/api/v1/admin/events').set('authorization', `Bearer ${admin.apiKey}`).send(eventPayload());
    expect(ev.status).toBe(201);
    const rsvp = rsvpPayload({ email });
    expect((await http().post(`/api/v1/events/${ev.body.slug}/rsvps`).send(rsvp)).status).toBe(202);
    const mails = await sink.waitFor(email, 2);
    const rsvpMark = new Date().toISOString();
    await tick();
    expect(await syncAll(`/api/v1/admin/events/${ev.body.id}/rsvps`, rsvpMark)).toEqual([]);
    expect(
      (
        await http()
          .post(new URL(actionLink(mails[1])).pathname)
          .type('form')
          .send('')
      ).status,
    ).toBe(200);
    expect(await syncAll(`/api/v1/admin/events/${ev.body.id}/rsvps`, rsvpMark)).toEqual([
      expect.objectContaining({ status: 'going', email }),
    ]);

    // The erasure: the person becomes a tombstone, their signature and seat anonymous rows, all changed since.
    const eraseMark = new Date().toISOString();
    await tick();
    const [{ id: personId }] = await platform.db.query(`SELECT id FROM people WHERE email_normalized = $1`, [email]);
    expect((await send('delete', `/api/v1/admin/people/${personId}`)).status).toBe(204);
    expect(await syncAll(`/api/v1/admin/petitions/${petition.id}/signatures`, eraseMark)).toEqual([
      expect.objectContaining({ status: 'confirmed', email: null, givenName: null }),
    ]);
    expect(await syncAll(`/api/v1/admin/events/${ev.body.id}/rsvps`, eraseMark)).toEqual([
      expect.objectContaining({ status: 'going', personId: null, email: null }),
    ]);
    expect((await syncAll('/api/v1/admin/people', eraseMark, 50)).filter((p) => p.id === personId)).toEqual([
      { id: personId, erased: true },
    ]);
  }, 30_000);

  it('tombstones last CHANGE_FEED_RETENTION_DAYS, then the retention job purges them', async () => {
    const person = await createPerson(platform.db, {});
    expect((await send('delete', `/api/v1/admin/people/${person.id}`)).status).toBe(204);
    const old = await createPerson(platform.db, {});
    expect((await send('delete', `/api/v1/admin/people/${old.id}`)).status).toBe(204);
    await platform.db.query(`UPDATE erased_people SET erased_at = now() - interval '31 days' WHERE id = $1`, [old.id]);
    await platform.worker!.get(RetentionService).purge();
    const rows: Array<{ id: string }> = await platform.db.query(`SELECT id FROM erased_people WHERE id = ANY($1)`, [[person.id, old.id]]);
    expect(rows.map((r) => r.id)).toEqual([person.id]);
  });

  it('refuses a modifiedSince that is not an ISO 8601 time, changing nothing', async () => {
    for (const bad of ['yesterday', '2026-13-01T00:00:00Z', '1700000000', "2026-01-01' OR 1=1"]) {
      const res = await get(`/api/v1/admin/people?modifiedSince=${encodeURIComponent(bad)}`);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'modifiedSince' })]);
    }
    const petition = await createPetition(platform.api);
    expect((await get(`/api/v1/admin/petitions/${petition.id}/signatures?modifiedSince=soon`)).status).toBe(400);
  });
});
