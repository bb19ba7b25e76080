import request from 'supertest';
import { PetitionsRepository } from '../src/petitions/petitions.repository';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { createOrganizer } from './factories/organizer.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { uniqueEmail } from './factories/signup.factory';
import { csvRecords, rawBody } from './support/csv';
import { Platform, startPlatform } from './support/platform';
import { actionLink, SmtpSink } from './support/smtp-sink';

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

/** Payloads a spreadsheet would run as formulas; tab and CR cannot come through the forms (trimmed, refused), so SQL puts them in. */
const INJECTIONS = ['=HYPERLINK("http://evil.example","x")', '+1', '-1', '@SUM(1)'];

describe('people tools with petitions and events: sections, exports, erasure', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizer: { id: string; apiKey: string };
  let admin: { id: string; apiKey: string };
  let viewer: { id: string; apiKey: string };
  const http = () => request(platform.api.getHttpServer());
  const get = (path: string, key = organizer.apiKey) => http().get(path).set('authorization', `Bearer ${key}`);
  const csv = (path: string) => get(path).buffer(true).parse(rawBody).expect(200);
  const one = async <T = Record<string, unknown>>(sql: string, params: unknown[]): Promise<T> =>
    (await platform.db.query(sql, params))[0] as T;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url, RETENTION_UNCONFIRMED_DAYS: '30' });
    organizer = await createOrganizer(platform.api, 'organizer');
    admin = await createOrganizer(platform.api, 'admin');
    viewer = await createOrganizer(platform.api, 'viewer');
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });
  afterEach(() => jest.restoreAllMocks());

  async function createEvent(overrides: Record<string, unknown> = {}): Promise<{ id: string; slug: string }> {
    const res = await http().post('/api/v1/admin/events').set('authorization', `Bearer ${organizer.apiKey}`).send(eventPayload(overrides));
    expect(res.status).toBe(201);
    return res.body;
  }

  /** Submits the form, waits for the link, uses it (the last email to the address is the link). */
  async function submitAndConfirm(path: string, payload: Record<string, unknown>): Promise<void> {
    const email = payload.email as string;
    const before = sink.to(email).length;
    await http().post(path).send(payload).expect(202);
    const mails = await sink.waitFor(email, before + 1);
    const res = await http()
      .post(new URL(actionLink(mails[before])).pathname)
      .type('form')
      .send('');
    expect(res.status).toBe(200);
  }
  const signAndConfirm = (slug: string, payload: Record<string, unknown>) =>
    submitAndConfirm(`/api/v1/petitions/${slug}/signatures`, payload);
  const rsvpAndConfirm = (slug: string, payload: Record<string, unknown>) => submitAndConfirm(`/api/v1/events/${slug}/rsvps`, payload);

  async function personIdOf(email: string): Promise<string> {
    return (await one<{ id: string }>(`SELECT id FROM people WHERE email_normalized = lower($1)`, [email])).id;
  }

  async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  const publicCount = async (slug: string): Promise<number> =>
    (await http().get(`/api/v1/petitions/${slug}`).expect(200)).body.signatureCount as number;

  async function exportAudit(action: string, targetId: string): Promise<Array<{ organizer_id: string; details: Record<string, unknown> }>> {
    return platform.db.query(`SELECT organizer_id, details FROM audit_log WHERE action = $1 AND target_id = $2 ORDER BY created_at`, [
      action,
      targetId,
    ]);
  }

  it('shows a person’s signatures and RSVPs in the detail and the subject-access export', async () => {
    const petition = await createPetition(platform.api);
    const event = await createEvent();
    const email = uniqueEmail('both');
    await signAndConfirm(petition.slug, signaturePayload({ email, comment: 'Reporting is not a crime', publicName: true }));
    await rsvpAndConfirm(event.slug, rsvpPayload({ email, guests: 1 }));
    const id = await personIdOf(email);

    const signature = expect.objectContaining({
      petitionId: petition.id,
      petitionSlug: petition.slug,
      petitionTitle: 'Free the journalists',
      status: 'confirmed',
      comment: 'Reporting is not a crime',
      publicName: true,
      confirmedAt: expect.any(String),
      createdAt: expect.any(String),
      referrer: expect.any(Object),
    });
    const rsvp = expect.objectContaining({ eventId: event.id, eventSlug: event.slug, status: 'going', guests: 1 });
    const detail = await get(`/api/v1/admin/people/${id}`).expect(200);
    expect(detail.body.signatures).toEqual([signature]);
    expect(detail.body.rsvps).toEqual([rsvp]);
    const access = await get(`/api/v1/admin/people/${id}/export`).expect(200);
    expect(access.body.signatures).toEqual([signature]);
    expect(access.body.rsvps).toEqual([rsvp]);
  });

  it('exports a petition’s signatures: header, BOM, status, filters, Arabic intact, formulas neutralised, audited', async () => {
    const petition = await createPetition(platform.api);
    const arabic = uniqueEmail('arabic');
    await signAndConfirm(
      petition.slug,
      signaturePayload({ email: arabic, givenName: 'أمل', familyName: 'حداد', country: 'LB', language: 'ar' }),
    );
    const emails = INJECTIONS.map(() => uniqueEmail('formula'));
    for (const [i, payload] of INJECTIONS.entries()) {
      await http()
        .post(`/api/v1/petitions/${petition.slug}/signatures`)
        .send(signaturePayload({ email: emails[i], givenName: payload, familyName: payload, comment: payload }))
        .expect(202);
    }
    // Tab and CR, as another path (an old import, a direct fix) might have stored them.
    await platform.db.query(
      `UPDATE signatures SET given_name = E'\\tTAB', comment = E'\\rCR' FROM people p
       WHERE p.id = signatures.person_id AND p.email_normalized = $1`,
      [emails[0]],
    );

    const res = await csv(`/api/v1/admin/exports/petitions/${petition.id}/signatures.csv?bom=1`);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const body = res.body as Buffer;
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(body.toString('utf8').slice(1).split('\n')[0]).toBe(
      'id,email,givenName,familyName,country,postalCode,language,comment,publicName,subscribe,referrerSource,referrerMedium,referrerCampaign,referrerUrl,status,createdAt,confirmedAt,protected',
    );
    const rows = csvRecords(res);
    expect(rows).toHaveLength(5);
    const byEmail = new Map(rows.map((r) => [r.email, r]));
    expect(byEmail.get(arabic)).toEqual(
      expect.objectContaining({ givenName: 'أمل', familyName: 'حداد', country: 'LB', language: 'ar', status: 'confirmed' }),
    );
    expect(byEmail.get(arabic)!.confirmedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(byEmail.get(emails[0])).toEqual(expect.objectContaining({ givenName: "'\tTAB", comment: "'\rCR", status: 'pending' }));
    for (const [i, payload] of INJECTIONS.entries()) {
      expect(byEmail.get(emails[i])!.familyName).toBe(`'${payload}`);
      if (i > 0) expect(byEmail.get(emails[i])).toEqual(expect.objectContaining({ givenName: `'${payload}`, comment: `'${payload}` }));
    }
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    // Filters: status, country, language; no BOM unless asked for.
    expect(csvRecords(await csv(`/api/v1/admin/exports/petitions/${petition.id}/signatures.csv?status=pending`))).toHaveLength(4);
    expect(
      csvRecords(await csv(`/api/v1/admin/exports/petitions/${petition.id}/signatures.csv?status=confirmed`)).map((r) => r.email),
    ).toEqual([arabic]);
    expect(csvRecords(await csv(`/api/v1/admin/exports/petitions/${petition.id}/signatures.csv?country=LB&language=ar`))).toHaveLength(1);
    expect(csvRecords(await csv(`/api/v1/admin/exports/petitions/${petition.id}/signatures.csv?country=FR`))).toHaveLength(4);
    for (const query of ['', '?bom=0']) {
      const noBom = await csv(`/api/v1/admin/exports/petitions/${petition.id}/signatures.csv${query}`);
      expect((noBom.body as Buffer).subarray(0, 2).toString()).toBe('id');
    }
    await get(`/api/v1/admin/exports/petitions/${petition.id}/signatures.csv?status=maybe`).expect(400);

    const audits = await exportAudit('export.signatures', petition.id);
    expect(audits[0].organizer_id).toBe(organizer.id);
    expect(audits[0].details).toEqual(expect.objectContaining({ rows: 5, completed: true, filters: {} }));
    expect(audits[1].details).toEqual(expect.objectContaining({ rows: 4, completed: true, filters: { status: 'pending' } }));

    await http().get(`/api/v1/admin/exports/petitions/${petition.id}/signatures.csv`).expect(401);
    await get(`/api/v1/admin/exports/petitions/${petition.id}/signatures.csv`, viewer.apiKey).expect(403);
    const missing = await get(`/api/v1/admin/exports/petitions/${UNKNOWN_ID}/signatures.csv`).expect(404);
    expect(missing.body).toEqual({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });

  it('exports an event’s RSVPs: header, status and its filter, Arabic intact, formulas neutralised, audited', async () => {
    const event = await createEvent();
    const arabic = uniqueEmail('arabic-rsvp');
    await rsvpAndConfirm(event.slug, rsvpPayload({ email: arabic, givenName: 'زهرا', familyName: 'کریمی', country: 'IR', language: 'fa' }));
    const emails = INJECTIONS.map(() => uniqueEmail('formula-rsvp'));
    for (const [i, payload] of INJECTIONS.entries()) {
      await http()
        .post(`/api/v1/events/${event.slug}/rsvps`)
        .send(rsvpPayload({ email: emails[i], givenName: payload, familyName: payload }))
        .expect(202);
    }
    await platform.db.query(`UPDATE rsvps SET given_name = E'\\tTAB', family_name = E'\\rCR' WHERE email = $1`, [emails[0]]);

    const res = await csv(`/api/v1/admin/exports/events/${event.id}/rsvps.csv?bom=1`);
    expect((res.body as Buffer).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows = csvRecords(res);
    expect(Object.keys(rows[0])).toEqual(
      expect.arrayContaining(['id', 'email', 'givenName', 'familyName', 'status', 'guests', 'createdAt']),
    );
    expect(rows).toHaveLength(5);
    const byEmail = new Map(rows.map((r) => [r.email, r]));
    expect(byEmail.get(arabic)).toEqual(expect.objectContaining({ givenName: 'زهرا', familyName: 'کریمی', status: 'going' }));
    expect(byEmail.get(emails[0])).toEqual(expect.objectContaining({ givenName: "'\tTAB", familyName: "'\rCR", status: 'pending' }));
    for (const [i, payload] of INJECTIONS.entries()) {
      if (i > 0) expect(byEmail.get(emails[i])).toEqual(expect.objectContaining({ givenName: `'${payload}`, familyName: `'${payload}` }));
    }
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    expect(csvRecords(await csv(`/api/v1/admin/exports/events/${event.id}/rsvps.csv?status=going`)).map((r) => r.email)).toEqual([arabic]);
    expect(csvRecords(await csv(`/api/v1/admin/exports/events/${event.id}/rsvps.csv?status=pending`))).toHaveLength(4);
    await get(`/api/v1/admin/exports/events/${event.id}/rsvps.csv?status=maybe`).expect(400);

    const audits = await exportAudit('export.rsvps', event.id);
    expect(audits[0].organizer_id).toBe(organizer.id);
    expect(audits[0].details).toEqual(expect.objectContaining({ rows: 5, completed: true, filters: {} }));
    expect(audits[1].details).toEqual(expect.objectContaining({ rows: 1, completed: true, filters: { status: 'going' } }));
    // No BOM unless asked for.
    const plain = await csv(`/api/v1/admin/exports/events/${event.id}/rsvps.csv`);
    expect((plain.body as Buffer).subarray(0, 2).toString()).toBe('id');

    await http().get(`/api/v1/admin/exports/events/${event.id}/rsvps.csv`).expect(401);
    await get(`/api/v1/admin/exports/events/${event.id}/rsvps.csv`, viewer.apiKey).expect(403);
    await get(`/api/v1/admin/exports/events/${UNKNOWN_ID}/rsvps.csv`).expect(404);
  });

  it('erases a signer and attendee: counts and seats stay, nothing personal is left, the address is never mailed again', async () => {
    const petition = await createPetition(platform.api);
    const event = await createEvent({ capacity: 5 });
    const email = uniqueEmail('erase-me');
    const other = uniqueEmail('stays');
    await signAndConfirm(
      petition.slug,
      signaturePayload({ email, givenName: 'Nour', familyName: 'Khalil', comment: 'Free them', publicName: true }),
    );
    await signAndConfirm(petition.slug, signaturePayload({ email: other, givenName: 'Karim', publicName: true }));
    await rsvpAndConfirm(event.slug, rsvpPayload({ email, givenName: 'Nour', guests: 1 }));
    const id = await personIdOf(email);
    const [{ id: signatureId }] = await platform.db.query(`SELECT id FROM signatures WHERE person_id = $1`, [id]);
    const [{ id: rsvpId }] = await platform.db.query(`SELECT id FROM rsvps WHERE person_id = $1`, [id]);
    await until(async () => (await publicCount(petition.slug)) === 2, 'the count of 2');
    const spotsBefore = (await http().get(`/api/v1/events/${event.slug}`).expect(200)).body.spotsLeft as number;
    expect(spotsBefore).toBe(3);
    expect((await http().get(`/api/v1/petitions/${petition.slug}/signatures`).expect(200)).text).toContain('Nour');

    await http().delete(`/api/v1/admin/people/${id}`).set('authorization', `Bearer ${admin.apiKey}`).expect(204);
    await get(`/api/v1/admin/people/${id}`).expect(404);

    // No personal data left on the kept rows.
    expect(
      await one(
        `SELECT person_id, given_name, family_name, country, postal_code, comment, language, public_name, subscribe, referrer_source,
                referrer_medium, referrer_campaign, referrer_url, ip_hash, mailed_at, reminded_at, status
         FROM signatures WHERE id = $1`,
        [signatureId],
      ),
    ).toEqual({
      person_id: null,
      given_name: null,
      family_name: null,
      country: null,
      postal_code: null,
      comment: null,
      language: null,
      public_name: false,
      subscribe: false,
      referrer_source: null,
      referrer_medium: null,
      referrer_campaign: null,
      referrer_url: null,
      ip_hash: null,
      mailed_at: null,
      reminded_at: null,
      status: 'confirmed',
    });
    expect(
      await one(`SELECT person_id, email, given_name, family_name, country, language, ip_hash, status, guests FROM rsvps WHERE id = $1`, [
        rsvpId,
      ]),
    ).toEqual({
      person_id: null,
      email: null,
      given_name: null,
      family_name: null,
      country: null,
      language: null,
      ip_hash: null,
      status: 'going',
      guests: 1,
    });
    const leftovers = await one<{ n: number }>(
      `SELECT (SELECT count(*) FROM signatures WHERE given_name = 'Nour' OR comment = 'Free them')
            + (SELECT count(*) FROM rsvps WHERE email = $1 OR given_name = 'Nour')
            + (SELECT count(*) FROM people WHERE email_normalized = $1) AS n`,
      [email],
    );
    expect(Number(leftovers.n)).toBe(0);

    // Gone from all three exports; the anonymous rows remain so the files add up to the counts.
    for (const path of [
      `/api/v1/admin/exports/people.csv?country=FR`,
      `/api/v1/admin/exports/petitions/${petition.id}/signatures.csv`,
      `/api/v1/admin/exports/events/${event.id}/rsvps.csv`,
    ]) {
      const text = (await csv(path)).body.toString('utf8');
      expect(text).not.toContain(email);
      expect(text).not.toContain('Nour');
    }
    const signatures = csvRecords(await csv(`/api/v1/admin/exports/petitions/${petition.id}/signatures.csv`));
    expect(signatures.find((r) => r.id === signatureId)).toEqual(
      expect.objectContaining({ email: '', givenName: '', status: 'confirmed' }),
    );

    // The count and the seats do not move, after the aggregator and after a full recount.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await publicCount(petition.slug)).toBe(2);
    await platform.worker!.get(PetitionsRepository).recount(petition.id);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(await publicCount(petition.slug)).toBe(2);
    expect((await http().get(`/api/v1/events/${event.slug}`).expect(200)).body.spotsLeft).toBe(spotsBefore);
    const signers = await http().get(`/api/v1/petitions/${petition.slug}/signatures`).expect(200);
    expect(signers.text).not.toContain('Nour');
    expect(signers.text).toContain('Karim');

    // The address signs and RSVPs again: suppressed, nothing is sent.
    const mailsBefore = sink.to(email).length;
    const event2 = await createEvent();
    await http().post(`/api/v1/petitions/${petition.slug}/signatures`).send(signaturePayload({ email })).expect(202);
    await http().post(`/api/v1/events/${event2.slug}/rsvps`).send(rsvpPayload({ email })).expect(202);
    await until(
      async () =>
        Number(
          (
            await one<{ n: number }>(
              `SELECT count(*) AS n FROM signatures s JOIN people p ON p.id = s.person_id WHERE p.email_normalized = $1`,
              [email],
            )
          ).n,
        ) === 0 &&
        Number(
          (await one<{ n: number }>(`SELECT count(*) AS n FROM rsvps WHERE email = $1 AND processed_round < request_round`, [email])).n,
        ) === 0,
      'the worker to decide on the new requests',
    );
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.to(email)).toHaveLength(mailsBefore);
    // Nor does the address come back as a row, or leave what was typed with it.
    await until(
      async () =>
        Number(
          (
            await one<{ n: number }>(
              `SELECT (SELECT count(*) FROM people WHERE email_normalized = $1) + (SELECT count(*) FROM rsvps WHERE email = $1) AS n`,
              [email],
            )
          ).n,
        ) === 0,
      'the suppressed requests to leave nothing',
    );
  });
});
