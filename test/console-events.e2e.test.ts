import request from 'supertest';
import { AppConfig } from '../src/config/app-config';
import { CreateEventDto } from '../src/events/dto/event.dto';
import { EventsAdminService } from '../src/events/events-admin.service';
import { eventPayload } from './factories/event.factory';
import { createOrganizer } from './factories/organizer.factory';
import { createPerson } from './factories/person.factory';
import { ConsoleLogin, consolePost, signInAs } from './support/console';
import { Platform, startPlatform } from './support/platform';

/**
 * The console's events screens: the RSVP list in seat and waitlist order, and the check-in
 * at the door (search by name, mark attended, guests), with the API's roles and audit.
 */
describe('console events and check-in', () => {
  let platform: Platform;
  let organizer: ConsoleLogin;
  let viewer: ConsoleLogin;
  let apiKey: string;
  let eventId: string;
  const ids: Record<string, string> = {};
  const http = () => request(platform.api.getHttpServer());

  async function rsvp(given: string, family: string, status: string, extra: { guests?: number; goingAt?: string; position?: number } = {}) {
    const person = await createPerson(platform.db, { givenName: given, familyName: family });
    const [row] = await platform.db.query(
      `INSERT INTO rsvps (event_id, person_id, email, given_name, family_name, guests, status, going_at, waitlist_position, confirmed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now()) RETURNING id`,
      [eventId, person.id, person.email, given, family, extra.guests ?? 0, status, extra.goingAt ?? null, extra.position ?? null],
    );
    ids[given] = row.id;
  }

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
    organizer = await signInAs(platform.api, 'organizer');
    viewer = await signInAs(platform.api, 'viewer');
    apiKey = (await createOrganizer(platform.api, 'organizer')).apiKey;
    const event = await platform.api
      .get(EventsAdminService)
      .create(eventPayload({ title: 'Door <night>', capacity: 4, waitlist: true }) as unknown as CreateEventDto);
    eventId = event.id;
    // Zoé got her seat before Amal; Lina waits ahead of Omar; Pat never used the link.
    await rsvp('Amal', 'Haddad', 'going', { guests: 2, goingAt: '2026-01-02T10:00:00Z' });
    await rsvp('Zoé', 'Martin', 'going', { goingAt: '2026-01-01T10:00:00Z' });
    await rsvp('Omar', 'Khan', 'waitlisted', { position: 900 });
    await rsvp('Lina', 'Haddad', 'waitlisted', { position: 800 });
    await rsvp('Pat', 'Pending', 'pending');
  });
  afterAll(() => platform?.close());

  it('lists events to every role, RSVPs only to organizers', async () => {
    const list = await http().get('/console/events').set('cookie', viewer.cookie);
    expect(list.status).toBe(200);
    expect(list.text).toContain('Door &lt;night&gt;');
    expect(list.text).not.toContain(`/console/events/${eventId}/rsvps`);
    expect((await http().get(`/console/events/${eventId}/rsvps`).set('cookie', viewer.cookie)).status).toBe(403);
    expect((await http().get(`/console/events/${eventId}/check-in?q=amal`).set('cookie', viewer.cookie)).status).toBe(403);
    expect(
      (await consolePost(platform.api, `/console/events/${eventId}/rsvps/${ids.Amal}/attended`, viewer, { attended: 'true' })).status,
    ).toBe(403);
    const organizerList = await http().get('/console/events').set('cookie', organizer.cookie);
    expect(organizerList.text).toContain(`/console/events/${eventId}/check-in`);
  });

  it('shows going in seat order and the waitlist in its order, and audits the read', async () => {
    const page = await http().get(`/console/events/${eventId}/rsvps`).set('cookie', organizer.cookie);
    expect(page.status).toBe(200);
    const order = (table: string) =>
      [...new RegExp(`<table id="${table}">([^]*?)</table>`).exec(page.text)![1].matchAll(/data-rsvp="([^"]+)"/g)].map((m) => m[1]);
    expect(order('going')).toEqual([ids.Zoé, ids.Amal]);
    expect(order('waitlist')).toEqual([ids.Lina, ids.Omar]);
    expect(page.text).not.toContain('Pending');
    const audit = await platform.db.query(
      `SELECT organizer_id AS "organizerId" FROM audit_log WHERE action = 'event.rsvps.read' AND target_id = $1`,
      [eventId],
    );
    expect(audit).toContainEqual({ organizerId: organizer.organizerId });
  });

  it('finds a person by name at the door, checks them in with their guests, as the API then shows', async () => {
    const empty = await http().get(`/console/events/${eventId}/check-in`).set('cookie', organizer.cookie);
    expect(empty.status).toBe(200);
    expect(empty.text).not.toContain('Haddad');
    expect(empty.text).toContain('data-attended-count="0"');

    const found = await http().get(`/console/events/${eventId}/check-in?q=haddad%20amal`).set('cookie', organizer.cookie);
    expect(found.text).toContain('Amal Haddad');
    expect(found.text).toContain('guests: +2');
    expect(found.text).not.toContain('Zoé');
    const byFamily = await http().get(`/console/events/${eventId}/check-in?q=HADDAD`).set('cookie', organizer.cookie);
    // Lina waits: shown, with no check-in button.
    expect(byFamily.text).toContain('Lina Haddad');
    expect(byFamily.text).not.toContain(`/rsvps/${ids.Lina}/attended`);
    // A LIKE wildcard is a literal character.
    const wildcard = await http().get(`/console/events/${eventId}/check-in?q=%25`).set('cookie', organizer.cookie);
    expect(wildcard.text).toContain('Nobody going or waiting matches');

    const marked = await consolePost(platform.api, `/console/events/${eventId}/rsvps/${ids.Amal}/attended`, organizer, {
      attended: 'true',
      q: 'haddad amal',
    });
    expect(marked.status).toBe(303);
    expect(marked.headers.location).toBe(`/console/events/${eventId}/check-in?q=haddad+amal&done=in&rsvp=${ids.Amal}#rsvp-${ids.Amal}`);
    const after = await http().get(marked.headers.location.split('#')[0]).set('cookie', organizer.cookie);
    expect(after.text).toContain('Amal Haddad is checked in.');
    expect(after.text).toContain('data-attended-count="1"');
    expect(after.text).toContain('1 of 2 checked in (3 of 4 with guests)');

    const api = await http().get(`/api/v1/admin/events/${eventId}/rsvps?limit=100`).set('authorization', `Bearer ${apiKey}`);
    const amal = api.body.items.find((r: { id: string }) => r.id === ids.Amal);
    expect(amal.attended).toBe(true);
    const audit = await platform.db.query(
      `SELECT organizer_id AS "organizerId", details FROM audit_log WHERE action = 'rsvp.update' AND target_id = $1`,
      [eventId],
    );
    expect(audit).toEqual([
      { organizerId: organizer.organizerId, details: { params: { rsvpId: ids.Amal }, attended: true, via: 'console' } },
    ]);

    // Undo.
    expect(
      (await consolePost(platform.api, `/console/events/${eventId}/rsvps/${ids.Amal}/attended`, organizer, { attended: 'false' })).status,
    ).toBe(303);
    expect((await platform.db.query(`SELECT attended FROM rsvps WHERE id = $1`, [ids.Amal]))[0].attended).toBe(false);
  });

  it('refuses a check-in without the CSRF token or from another origin, and one of another event', async () => {
    const path = `/console/events/${eventId}/rsvps/${ids.Zoé}/attended`;
    const origin = platform.api.get(AppConfig).publicOrigin;
    const noToken = await http().post(path).set('cookie', organizer.cookie).set('origin', origin).type('form').send({ attended: 'true' });
    const crossSite = await http()
      .post(path)
      .set('cookie', organizer.cookie)
      .set('sec-fetch-site', 'cross-site')
      .type('form')
      .send({ _csrf: organizer.csrfToken, attended: 'true' });
    expect([noToken.status, crossSite.status]).toEqual([403, 403]);
    const other = await platform.api.get(EventsAdminService).create(eventPayload() as unknown as CreateEventDto);
    const wrongEvent = await consolePost(platform.api, `/console/events/${other.id}/rsvps/${ids.Zoé}/attended`, organizer, {
      attended: 'true',
    });
    expect(wrongEvent.status).toBe(404);
    expect((await platform.db.query(`SELECT attended FROM rsvps WHERE id = $1`, [ids.Zoé]))[0].attended).toBeNull();
  });
});
