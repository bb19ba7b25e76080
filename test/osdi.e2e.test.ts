import request from 'supertest';
import { createOrganizer } from './factories/organizer.factory';
import { createPetition } from './factories/petition.factory';
import { eventPayload } from './factories/event.factory';
import { uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { actionLink, SmtpSink } from './support/smtp-sink';

type Hal = Record<string, unknown> & {
  _links: Record<string, { href: string } & Array<{ href: string }>>;
  _embedded?: Record<string, Hal[]>;
};

/**
 * An OSDI client written from the spec (follow `_links`, read `_embedded["osdi:<name>"]`)
 * and from the requests the n8n Action Network node and Parsons' ActionNetwork connector
 * send (their shapes are copied here: `perPage`, `_links["osdi:person"].href` on
 * actionnetwork.org's host, `{person: {...}, add_tags}`, `custom_fields: {}`).
 */
describe('OSDI API (real PostgreSQL, Redis, SMTP)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizerKey: string;
  let viewerKey: string;
  let adminKey: string;
  const http = () => request(platform.api.getHttpServer());
  /** The path of an href the API gave (its host is PUBLIC_URL's). */
  const pathOf = (href: string): string => {
    const url = new URL(href);
    return url.pathname + url.search;
  };
  const get = async (path: string, key = organizerKey): Promise<Hal> => {
    const res = await http().get(path).set('OSDI-API-Token', key);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/hal\+json/);
    return res.body as Hal;
  };
  const post = (path: string, body: unknown, key = organizerKey) =>
    http().post(path).set('OSDI-API-Token', key).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const idOf = (record: Hal): string => record._links.self.href.split('/').pop() as string;

  /** Parsons' `_get_entry_list`: pages until a page comes back empty, reading `_embedded`'s first key. */
  async function parsonsList(path: string, filter?: string): Promise<Hal[]> {
    const all: Hal[] = [];
    for (let page = 1; ; page++) {
      const query = new URLSearchParams({ page: String(page), per_page: '25' });
      if (filter) query.set('filter', filter);
      const body = await get(`${path}?${query.toString()}`);
      const embedded = body._embedded as Record<string, Hal[]>;
      const records = embedded[Object.keys(embedded)[0]];
      if (records.length === 0) return all;
      all.push(...records);
      if (page > 50) throw new Error('runaway paging');
    }
  }

  /** n8n's `handleListing`: perPage=25, page from `_links.next.href` until there is none. */
  /** `limit`: n8n's "Return All" off with a Limit, which stops paging once it has that many (the table is shared with other files). */
  async function n8nList(path: string, itemsKey: string, limit = Infinity): Promise<Hal[]> {
    const all: Hal[] = [];
    const qs: Record<string, string> = { perPage: '25', page: '1' };
    let body: Hal;
    do {
      body = await get(`${path}?${new URLSearchParams(qs).toString()}`);
      all.push(...((body._embedded as Record<string, Hal[]>)[itemsKey] ?? []));
      if (body._links.next?.href) qs.page = new URLSearchParams(body._links.next.href.split('?')[1]).get('page') as string;
    } while (body._links.next && all.length < limit);
    return all.slice(0, limit);
  }

  /** A spec client: follows `_links.next` hrefs as given. */
  async function followNext(href: string): Promise<Hal[]> {
    const all: Hal[] = [];
    let next: string | undefined = href;
    while (next) {
      const body = await get(pathOf(next));
      all.push(...((body._embedded as Record<string, Hal[]>)['osdi:people'] ?? []));
      next = body._links.next?.href;
    }
    return all;
  }

  async function confirmLatest(email: string, count: number): Promise<void> {
    const mails = await sink.waitFor(email, count);
    const res = await http()
      .post(new URL(actionLink(mails[mails.length - 1])).pathname)
      .type('form')
      .send('');
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    organizerKey = (await createOrganizer(platform.api, 'organizer')).apiKey;
    viewerKey = (await createOrganizer(platform.api, 'viewer')).apiKey;
    adminKey = (await createOrganizer(platform.api, 'admin')).apiKey;
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  it('serves the entry point with every collection and helper', async () => {
    const entry = await get('/api/osdi/v1/');
    expect(entry).toMatchObject({ max_pagesize: 25, osdi_version: expect.any(String), motd: expect.any(String) });
    expect(entry.vendor_name).toEqual(expect.any(String));
    expect(entry.product_name).toEqual(expect.any(String));
    for (const rel of ['osdi:people', 'osdi:petitions', 'osdi:events', 'osdi:tags', 'osdi:lists', 'osdi:person_signup_helper']) {
      expect(entry._links[rel].href).toMatch(/^http:\/\/links\.test\/api\/osdi\/v1\//);
    }
    expect((entry._links.curies as unknown as Array<{ name: string; templated: boolean }>)[0]).toMatchObject({
      name: 'osdi',
      templated: true,
    });
  });

  it('refuses a missing or wrong token, and a viewer writing', async () => {
    expect((await http().get('/api/osdi/v1/people')).status).toBe(401);
    const wrong = await http().get('/api/osdi/v1/people').set('OSDI-API-Token', 'cpk_not-a-key');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
    // The organizer API's Bearer header is not the OSDI token.
    expect((await http().get('/api/osdi/v1/people').set('Authorization', `Bearer ${viewerKey}`)).status).toBe(401);
    const email = uniqueEmail('viewer-write');
    const refused = await post('/api/osdi/v1/people', { person: { email_addresses: [{ address: email }] } }, viewerKey);
    expect(refused.status).toBe(403);
    expect((await post('/api/osdi/v1/tags', { name: 'viewers-cannot' }, viewerKey)).status).toBe(403);
    expect(await platform.db.query(`SELECT 1 FROM people WHERE email_normalized = $1`, [email])).toHaveLength(0);
    // Viewers read single records and the catalogue, not people in bulk (as on the organizer API).
    expect((await http().get('/api/osdi/v1/people').set('OSDI-API-Token', viewerKey)).status).toBe(403);
    expect((await http().get('/api/osdi/v1/tags').set('OSDI-API-Token', viewerKey)).status).toBe(200);
    expect((await http().get('/api/osdi/v1/').set('OSDI-API-Token', viewerKey)).status).toBe(200);
    // Admins may do what organizers may.
    expect((await post('/api/osdi/v1/tags', { name: 'admins-can' }, adminKey)).status).toBe(200);
  });

  it('signs a person up through the lifecycle: a confirmation email, the same answer for a known address', async () => {
    const email = uniqueEmail('osdi-signup');
    // Parsons' upsert_person body.
    const body = {
      person: {
        email_addresses: [{ address: email }],
        given_name: 'Amal',
        family_name: 'Haddad',
        languages_spoken: ['ar'],
        custom_fields: {},
      },
      add_tags: ['osdi-new'],
    };
    const first = await post('/api/osdi/v1/people', body);
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toMatch(/^application\/hal\+json/);
    expect(first.body).toMatchObject({
      request_status: 'pending',
      email_addresses: [{ address: email, primary: true }],
      phone_numbers: [],
    });
    // What Parsons reads of the answer.
    expect(first.body.identifiers[0]).toMatch(/^campaign_platform:[0-9a-f-]{36}$/);
    expect(first.body.created_date).toBe(first.body.modified_date);
    const [mail] = await sink.waitFor(email);
    expect(mail.parsed.subject).toBeTruthy();
    // Nothing counts until the link is used.
    const before = await platform.db.query(`SELECT confirmed_at FROM people WHERE email_normalized = $1`, [email]);
    expect(before[0]?.confirmed_at ?? null).toBeNull();
    await confirmLatest(email, 1);

    // The same request again, for a now known member: the same answer but for its fresh id and time.
    const again = await post('/api/osdi/v1/people', body);
    expect(again.status).toBe(200);
    const strip = (b: Record<string, unknown>) => ({ ...b, identifiers: undefined, created_date: undefined, modified_date: undefined });
    expect(strip(again.body)).toEqual(strip(first.body));

    const found = await parsonsList('/api/osdi/v1/people', `email_address eq '${email.toUpperCase()}'`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      given_name: 'Amal',
      email_addresses: [{ address: email, primary: true, status: 'subscribed' }],
      postal_addresses: [],
      phone_numbers: [],
      languages_spoken: ['ar'],
      custom_fields: {},
    });
  });

  it('with consent=confirmed writes the person at once, sends no email, and records and audits the vouched consent', async () => {
    const email = uniqueEmail('osdi-vouched');
    const res = await post('/api/osdi/v1/people?consent=confirmed', {
      person: {
        email_addresses: [{ address: email, primary: true }],
        given_name: 'Sam',
        postal_addresses: [{ postal_code: '75011', country: 'fr' }],
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.request_status).toBe('confirmed');
    const personId = res.body._links['osdi:person'].href.split('/').pop();
    const person = await get(`/api/osdi/v1/people/${personId}`);
    expect(person).toMatchObject({ given_name: 'Sam', postal_addresses: [{ postal_code: '75011', country: 'FR', primary: true }] });
    expect((person.email_addresses as Array<{ status: string }>)[0].status).toBe('subscribed');
    const [consent] = await platform.db.query(`SELECT action, text_version, vouched_by FROM consent_records WHERE person_id = $1`, [
      personId,
    ]);
    expect(consent).toMatchObject({ action: 'osdi-signup', text_version: 'organizer-vouched', vouched_by: expect.any(String) });
    const [audit] = await platform.db.query(`SELECT action, details FROM audit_log WHERE target_id = $1`, [personId]);
    expect(audit).toMatchObject({ action: 'osdi.person_signup', details: expect.objectContaining({ consent: 'confirmed' }) });
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.to(email)).toHaveLength(0);
  });

  it('pages people with filter=modified_date gt, as Parsons, n8n and a spec client do, with per_page capped at 25', async () => {
    const since = new Date(Date.now() - 1000).toISOString();
    const emails = Array.from({ length: 28 }, (_, i) => uniqueEmail(`page-${i}`));
    for (const email of emails) {
      expect((await post('/api/osdi/v1/people?consent=confirmed', { person: { email_addresses: [{ address: email }] } })).status).toBe(200);
    }
    const filter = `modified_date gt '${since}'`;
    const first = await get(`/api/osdi/v1/people?per_page=100&filter=${encodeURIComponent(filter)}`);
    expect(first).toMatchObject({ per_page: 25, page: 1, total_pages: 2, total_records: expect.any(Number) });
    expect(first.total_records).toBeGreaterThanOrEqual(28);
    expect((first._embedded as Record<string, Hal[]>)['osdi:people']).toHaveLength(25);
    expect(first._links.previous).toBeUndefined();
    for (const record of (first._embedded as Record<string, Hal[]>)['osdi:people']) {
      expect(record.identifiers).toEqual([`campaign_platform:${idOf(record)}`]);
      expect(Date.parse(record.modified_date as string)).toBeGreaterThan(Date.parse(since));
      for (const array of ['email_addresses', 'postal_addresses', 'phone_numbers', 'languages_spoken'])
        expect(Array.isArray(record[array])).toBe(true);
    }
    const second = await get(pathOf(first._links.next.href));
    expect(second.page).toBe(2);
    expect(second._links.previous.href).toContain('page=1');

    const byParsons = (await parsonsList('/api/osdi/v1/people', filter)).map(
      (p) => (p.email_addresses as Array<{ address: string }>)[0].address,
    );
    expect(byParsons).toEqual(expect.arrayContaining(emails));
    const byN8n = await n8nList(`/api/osdi/v1/people`, 'osdi:people', 50);
    expect(byN8n.length).toBeGreaterThanOrEqual(28);
    const bySpec = await followNext(first._links.self.href);
    expect(bySpec.map(idOf)).toEqual(byParsons.length === bySpec.length ? expect.any(Array) : bySpec.map(idOf));
    expect(new Set(bySpec.map(idOf)).size).toBe(bySpec.length);

    const none = await get(`/api/osdi/v1/people?filter=${encodeURIComponent(`modified_date gt '2999-01-01T00:00:00Z'`)}`);
    expect(none).toMatchObject({ total_records: 0, _embedded: { 'osdi:people': [] } });
    const ors = await get(
      `/api/osdi/v1/people?filter=${encodeURIComponent(`email_address eq '${emails[0]}' or email_address eq '${emails[1]}'`)}`,
    );
    expect(ors.total_records).toBe(2);
  });

  it.each([
    ['modified_date gt 2026-01-01'],
    ["modified_date gt '2026-13-01'"],
    ["given_name eq 'Sam'"],
    ["modified_date gt '2026-01-01' or"],
    ["email_address eq 'x'') OR 1=1 --'"],
  ])('answers a bad filter %p with a 400 in the contract shape', async (filter) => {
    const res = await http()
      .get(`/api/osdi/v1/people?filter=${encodeURIComponent(filter)}`)
      .set('OSDI-API-Token', organizerKey);
    if (filter.includes('1=1')) {
      // Well-formed: a value holding a quote is a value, matched as a parameter.
      expect(res.status).toBe(200);
      expect(res.body.total_records).toBe(0);
      return;
    }
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', details: [{ field: 'filter', message: expect.any(String) }] });
  });

  it('updates a person with PUT (not the address), organizers only, and audits bulk reads', async () => {
    const email = uniqueEmail('osdi-put');
    const created = await post('/api/osdi/v1/people?consent=confirmed', {
      person: { email_addresses: [{ address: email }], given_name: 'Old' },
    });
    const personId = created.body._links['osdi:person'].href.split('/').pop() as string;
    const put = (body: unknown, key = organizerKey) =>
      http()
        .put(`/api/osdi/v1/people/${personId}`)
        .set('OSDI-API-Token', key)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(body));
    // Parsons' update_person sends the fields at the top level.
    const res = await put({
      given_name: 'New',
      family_name: 'Name',
      languages_spoken: ['fr'],
      postal_addresses: [{ postal_code: '1000', country: 'BE' }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      given_name: 'New',
      family_name: 'Name',
      languages_spoken: ['fr'],
      postal_addresses: [{ postal_code: '1000', country: 'BE' }],
    });
    expect((await put({ given_name: 'Viewer' }, viewerKey)).status).toBe(403);
    const moved = await put({ email_addresses: [{ address: uniqueEmail('other') }] });
    expect(moved.status).toBe(400);
    expect(moved.body.details[0].field).toBe('email_addresses');
    expect((await put({ postal_addresses: [{ country: 'Narnia' }] })).status).toBe(400);
    expect((await get(`/api/osdi/v1/people/${personId}`, viewerKey)).given_name).toBe('New');
    expect(
      (
        await http()
          .put(`/api/osdi/v1/people/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`)
          .set('OSDI-API-Token', organizerKey)
          .send({})
      ).status,
    ).toBe(404);

    await get(`/api/osdi/v1/people?filter=${encodeURIComponent(`email_address eq '${email}'`)}`);
    const [entry] = await platform.db.query(
      `SELECT details FROM audit_log WHERE action = 'osdi.people.list' ORDER BY created_at DESC LIMIT 1`,
    );
    expect(entry.details).toMatchObject({ filterFields: ['email_address'], rows: 1 });
    expect(JSON.stringify(entry.details)).not.toContain(email);
  });

  it('answers bad paging with a 400', async () => {
    for (const q of ['page=0', 'per_page=0', 'page=abc', 'per_page=-1', 'unknown=1']) {
      const res = await http().get(`/api/osdi/v1/people?${q}`).set('OSDI-API-Token', organizerKey);
      expect(res.status).toBe(400);
    }
  });

  it('tags a person, reads the tagging back, and removes it (n8n personTag add/remove)', async () => {
    const email = uniqueEmail('osdi-tag');
    const created = await post('/api/osdi/v1/people?consent=confirmed', { person: { email_addresses: [{ address: email }] } });
    const personId = created.body._links['osdi:person'].href.split('/').pop();
    const untagged = await get(`/api/osdi/v1/people/${personId}`);
    const tag = await post('/api/osdi/v1/tags', { name: 'volunteer' });
    expect(tag.status).toBe(200);
    const tagId = idOf(tag.body);
    // n8n's getTags loader: every tag, by name and id.
    const tags = await n8nList('/api/osdi/v1/tags', 'osdi:tags');
    expect(tags.map((t) => [t.name, idOf(t)])).toContainEqual(['volunteer', tagId]);
    // n8n's makeOsdiLink writes Action Network's host: the id at the end is what counts.
    const tagging = await post(`/api/osdi/v1/tags/${tagId}/taggings`, {
      _links: { 'osdi:person': { href: `https://actionnetwork.org/api/v2/people/${personId}` } },
    });
    expect(tagging.status).toBe(200);
    expect(tagging.body._links['osdi:person'].href).toMatch(new RegExp(`/people/${personId}$`));
    const taggingId = idOf(tagging.body);
    // Tagging is a change a sync must see: the person's modified_date moves, and the filter finds it.
    const tagged = await get(`/api/osdi/v1/people/${personId}`);
    expect(Date.parse(tagged.modified_date as string)).toBeGreaterThan(Date.parse(untagged.modified_date as string));
    const changed = await get(
      `/api/osdi/v1/people?filter=${encodeURIComponent(`modified_date ge '${tagged.modified_date as string}' and email_address eq '${email}'`)}`,
    );
    expect(changed.total_records).toBe(1);
    const listed = await n8nList(`/api/osdi/v1/tags/${tagId}/taggings`, 'osdi:taggings');
    expect(listed.map(idOf)).toContain(taggingId);
    expect(await get(`/api/osdi/v1/tags/${tagId}/taggings/${taggingId}`)).toMatchObject({ item_type: 'osdi:person' });
    expect(await platform.db.query(`SELECT tag FROM person_tags WHERE person_id = $1`, [personId])).toEqual([{ tag: 'volunteer' }]);

    const bad = await post(`/api/osdi/v1/tags/${tagId}/taggings`, {
      _links: { 'osdi:person': { href: 'https://x.example/people/not-an-id' } },
    });
    expect(bad.status).toBe(400);
    expect((await post('/api/osdi/v1/tags', { name: 'Not A Slug' })).status).toBe(400);

    const own = await get(`/api/osdi/v1/people/${personId}/taggings`);
    expect((own._embedded as Record<string, Hal[]>)['osdi:taggings'].map(idOf)).toEqual([taggingId]);
    const removed = await http().delete(`/api/osdi/v1/tags/${tagId}/taggings/${taggingId}`).set('OSDI-API-Token', organizerKey);
    expect(removed.status).toBe(204);
    expect(await platform.db.query(`SELECT tag FROM person_tags WHERE person_id = $1`, [personId])).toEqual([]);
    expect((await http().get(`/api/osdi/v1/tags/${tagId}/taggings/${taggingId}`).set('OSDI-API-Token', viewerKey)).status).toBe(404);
  });

  it('records a signature through the lifecycle and reads it back once confirmed', async () => {
    const petition = await createPetition(platform.api);
    const email = uniqueEmail('osdi-signer');
    const created = await post('/api/osdi/v1/people?consent=confirmed', {
      person: { email_addresses: [{ address: email }], given_name: 'Noor', postal_addresses: [{ country: 'LB' }] },
    });
    const personId = created.body._links['osdi:person'].href.split('/').pop();
    // n8n's signature create: the person link and additional fields.
    const res = await post(`/api/osdi/v1/petitions/${petition.id}/signatures`, {
      _links: { 'osdi:person': { href: `https://actionnetwork.org/api/v2/people/${personId}` } },
      comments: 'For my brother',
    });
    expect(res.status).toBe(200);
    expect(res.body.request_status).toBe('pending');
    await confirmLatest(email, 1);
    const signatures = await parsonsList(`/api/osdi/v1/petitions/${petition.id}/signatures`, `email_address eq '${email}'`);
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ status: 'confirmed', comments: 'For my brother' });
    expect(signatures[0]._links['osdi:person'].href).toMatch(new RegExp(`/people/${personId}$`));
    const one = await get(pathOf(signatures[0]._links.self.href));
    expect(idOf(one)).toBe(idOf(signatures[0]));
    const modified = await get(
      `/api/osdi/v1/petitions/${petition.id}/signatures?filter=${encodeURIComponent(`modified_date ge '2000-01-01'`)}`,
    );
    expect(modified.total_records).toBe(1);
    // Parsons' get_person_signatures: the person's own collection, linked from the person.
    const person = await get(`/api/osdi/v1/people/${personId}`, viewerKey);
    const own = await parsonsList(pathOf(person._links['osdi:signatures'].href));
    expect(own.map(idOf)).toEqual([idOf(signatures[0])]);
    const petitionRecord = await get(`/api/osdi/v1/petitions/${petition.id}`);
    expect(petitionRecord._links['osdi:signatures'].href).toMatch(/\/signatures$/);
  });

  it('records a vouched signature at once (no email) and counts it once', async () => {
    const petition = await createPetition(platform.api);
    const email = uniqueEmail('osdi-vouched-signer');
    const body = {
      person: { email_addresses: [{ address: email }], given_name: 'Lea', postal_addresses: [{ country: 'DE' }] },
      add_tags: ['signer'],
    };
    expect((await post(`/api/osdi/v1/petitions/${petition.id}/signatures?consent=confirmed`, body)).status).toBe(200);
    expect((await post(`/api/osdi/v1/petitions/${petition.id}/signatures?consent=confirmed`, body)).status).toBe(200);
    const listed = await get(`/api/osdi/v1/petitions/${petition.id}/signatures`);
    expect(listed.total_records).toBe(1);
    expect((listed._embedded as Record<string, Hal[]>)['osdi:signatures'][0].status).toBe('confirmed');
    const [deltas] = await platform.db.query(`SELECT coalesce(sum(delta), 0)::int AS n FROM petition_count_deltas WHERE petition_id = $1`, [
      petition.id,
    ]);
    const [counted] = await platform.db.query(`SELECT coalesce(confirmed_count, 0)::int AS n FROM petition_counts WHERE petition_id = $1`, [
      petition.id,
    ]);
    expect((deltas?.n ?? 0) + (counted?.n ?? 0)).toBe(1);
    // Webhooks hear of it once, as of a signature confirmed by its link.
    const changes = await platform.db.query(
      `SELECT data FROM change_events WHERE type = 'signature.confirmed' AND data->>'petitionId' = $1`,
      [petition.id],
    );
    expect(changes).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.to(email)).toHaveLength(0);
  });

  it('records an attendance through the lifecycle and reads it back', async () => {
    const created = await http().post('/api/v1/admin/events').set('Authorization', `Bearer ${adminKey}`).send(eventPayload());
    expect(created.status).toBe(201);
    const eventId = created.body.id as string;
    const email = uniqueEmail('osdi-attendee');
    const res = await post(`/api/osdi/v1/events/${eventId}/attendances`, {
      person: { email_addresses: [{ address: email }], given_name: 'Ali' },
    });
    expect(res.status).toBe(200);
    const pending = await get(`/api/osdi/v1/events/${eventId}/attendances?filter=${encodeURIComponent(`email_address eq '${email}'`)}`);
    expect((pending._embedded as Record<string, Hal[]>)['osdi:attendances'][0]).toMatchObject({ status: 'needs action' });
    await confirmLatest(email, 1);
    const attendances = await n8nList(`/api/osdi/v1/events/${eventId}/attendances`, 'osdi:attendances');
    expect(attendances).toHaveLength(1);
    expect(attendances[0]).toMatchObject({ status: 'accepted' });
    const event = await get(`/api/osdi/v1/events/${eventId}`);
    expect(event).toMatchObject({ status: 'confirmed', total_accepted: 1 });
    expect(await get(pathOf(attendances[0]._links.self.href))).toMatchObject({ status: 'accepted' });
  });

  it('seats a vouched attendance at once: no confirmation email, the going email with its cancel link', async () => {
    const created = await http()
      .post('/api/v1/admin/events')
      .set('Authorization', `Bearer ${adminKey}`)
      .send(eventPayload({ capacity: 1 }));
    expect(created.status).toBe(201);
    const eventId = created.body.id as string;
    const first = uniqueEmail('osdi-vouched-attendee');
    const second = uniqueEmail('osdi-vouched-late');
    const body = (email: string) => ({ person: { email_addresses: [{ address: email }], given_name: 'Rana' } });
    const res = await post(`/api/osdi/v1/events/${eventId}/attendances?consent=confirmed`, body(first));
    expect(res.status).toBe(200);
    expect(res.body.request_status).toBe('confirmed');
    expect((await post(`/api/osdi/v1/events/${eventId}/attendances?consent=confirmed`, body(first))).status).toBe(200);
    expect((await post(`/api/osdi/v1/events/${eventId}/attendances?consent=confirmed`, body(second))).status).toBe(200);
    const listed = await get(`/api/osdi/v1/events/${eventId}/attendances`);
    const statuses = (listed._embedded as Record<string, Hal[]>)['osdi:attendances'].map((a) => a.status);
    // One seat: the first is going (once, however often vouched), the second refused.
    expect(statuses).toEqual(['accepted', 'declined']);
    const going = await platform.db.query(`SELECT data FROM change_events WHERE type = 'rsvp.going' AND data->>'eventId' = $1`, [eventId]);
    expect(going).toHaveLength(1);
    const [mail] = await sink.waitFor(first);
    expect(mail.parsed.text).toMatch(/http:\/\/links\.test\/rsvp\/cancel\//);
    await new Promise((r) => setTimeout(r, 1000));
    expect(sink.to(first)).toHaveLength(1);
    const [audit] = await platform.db.query(
      `SELECT details FROM audit_log WHERE action = 'osdi.attendance' AND details->>'consent' = 'confirmed' LIMIT 1`,
    );
    expect(audit).toBeDefined();
  });

  it('lists lists and their items', async () => {
    const lists = await parsonsList('/api/osdi/v1/lists');
    expect(lists.length).toBeGreaterThan(0);
    const withItems = lists.find((l) => (l.total_items as number) > 0) as Hal;
    const items = await parsonsList(pathOf(withItems._links['osdi:items'].href).split('?')[0]);
    expect(items.length).toBe(withItems.total_items);
    expect(items[0]._links['osdi:person'].href).toMatch(/\/people\/[0-9a-f-]{36}$/);
  });

  it('refuses helpers with a wrong body, and a list the public forms may not name', async () => {
    // A HAL+JSON body is JSON too.
    const hal = await http()
      .post('/api/osdi/v1/people')
      .set('OSDI-API-Token', organizerKey)
      .set('Content-Type', 'application/hal+json')
      .send(JSON.stringify({ person: { email_addresses: [{ address: uniqueEmail('hal') }] } }));
    expect(hal.status).toBe(200);
    for (const body of [
      {},
      { person: { email_addresses: [{ address: 'not-an-email' }] } },
      { person: 'x' },
      { person: { email_addresses: [{ address: uniqueEmail('x') }] }, add_tags: ['Bad Tag'] },
    ]) {
      const res = await post('/api/osdi/v1/people', body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, details: expect.any(Array) });
    }
    await http().post('/api/v1/admin/lists').set('Authorization', `Bearer ${adminKey}`).send({ slug: 'vetted-osdi', name: 'Vetted' });
    const privateList = await post('/api/osdi/v1/people', {
      person: { email_addresses: [{ address: uniqueEmail('p') }] },
      add_lists: ['vetted-osdi'],
    });
    const unknownList = await post('/api/osdi/v1/people', {
      person: { email_addresses: [{ address: uniqueEmail('p') }] },
      add_lists: ['no-such-list'],
    });
    expect(privateList.status).toBe(400);
    expect(privateList.body).toEqual(unknownList.body);
  });
});
