import request from 'supertest';
import { Clock } from '../src/common/clock';
import { RetentionService } from '../src/retention/retention.service';
import { createList, createPerson } from './factories/person.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';

const DAY = 86_400_000;

describe('retention: never-confirmed records older than RETENTION_UNCONFIRMED_DAYS are purged', () => {
  let platform: Platform;
  let retention: RetentionService;
  const http = () => request(platform.api.getHttpServer());
  const exists = async (sql: string, params: unknown[]) => (await platform.db.query(`SELECT 1 FROM ${sql}`, params)).length > 0;

  beforeAll(async () => {
    platform = await startPlatform({ RETENTION_UNCONFIRMED_DAYS: '30' });
    retention = platform.worker!.get(RetentionService);
  });
  afterAll(() => platform.close());
  afterEach(() => jest.restoreAllMocks());

  async function waitForStatus(email: string, status: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await exists(`signups WHERE email_normalized = $1 AND status = $2`, [email, status])) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`sign-up never reached ${status}`);
  }

  it('deletes unconfirmed sign-ups, their people and expired tokens after the retention; keeps the rest', async () => {
    // A sign-up through the real flow: the worker creates an unconfirmed person, a token and an email row.
    const stale = uniqueEmail('stale');
    await http()
      .post('/api/v1/signups')
      .send(signupPayload({ email: stale }))
      .expect(202);
    await waitForStatus(stale, 'mailed');
    const [{ person_id: stalePerson }] = await platform.db.query(`SELECT person_id FROM signups WHERE email_normalized = $1`, [stale]);

    const fresh = uniqueEmail('fresh');
    await http()
      .post('/api/v1/signups')
      .send(signupPayload({ email: fresh }))
      .expect(202);
    await waitForStatus(fresh, 'mailed');

    // Kept whatever their age: confirmed people, imported people, subscribed people.
    const list = await createList(platform.db);
    const old = new Date(Date.now() - 90 * DAY);
    const confirmed = await createPerson(platform.db, { confirmed: true, createdAt: old });
    const subscribed = await createPerson(platform.db, { confirmed: false, createdAt: old, lists: [list.slug] });
    const imported = await createPerson(platform.db, { confirmed: false, createdAt: old });
    await platform.db.query(`UPDATE people SET imported_at = $2, updated_at = $2 WHERE id = $1`, [imported.id, old]);
    await platform.db.query(`UPDATE people SET updated_at = $2 WHERE id = ANY($1)`, [[confirmed.id, subscribed.id], old]);
    const confirmedSignup = uniqueEmail('confirmed-signup');
    await platform.db.query(
      `INSERT INTO signups (email, email_normalized, consent_text_version, status, person_id, created_at, confirmed_at)
       VALUES ($1, $1, 'v1', 'confirmed', $2, $3, $3)`,
      [confirmedSignup, confirmed.id, old],
    );

    // Nothing is old enough yet.
    await retention.purge();
    expect(await exists(`signups WHERE email_normalized = $1`, [stale])).toBe(true);

    // 31 days later for the stale sign-up: backdate its rows (PostgreSQL wrote now()), and move the clock past its token's expiry.
    const past = new Date(Date.now() - 31 * DAY);
    await platform.db.query(`UPDATE signups SET created_at = $2 WHERE email_normalized = $1`, [stale, past]);
    await platform.db.query(`UPDATE people SET created_at = $2, updated_at = $2 WHERE id = $1`, [stalePerson, past]);
    const now = new Date(Date.now() + 8 * DAY);
    jest.spyOn(platform.worker!.get(Clock), 'now').mockReturnValue(now);

    const counts = await retention.purge();
    expect(counts.signups).toBeGreaterThanOrEqual(1);
    expect(counts['action-tokens']).toBeGreaterThanOrEqual(2);
    expect(counts.people).toBeGreaterThanOrEqual(1);
    // A second pass finds nothing left to do.
    expect(await retention.purge()).toEqual({
      signups: 0,
      'signups:protected': 0,
      'action-tokens': 0,
      'erased-people': 0,
      signatures: 0,
      'signatures:protected': 0,
      rsvps: 0,
      'rsvps:protected': 0,
      people: 0,
    });

    expect(await exists(`signups WHERE email_normalized = $1`, [stale])).toBe(false);
    expect(await exists(`people WHERE id = $1`, [stalePerson])).toBe(false);
    expect(await exists(`email_messages WHERE person_id = $1`, [stalePerson])).toBe(false);
    expect(await exists(`action_tokens WHERE person_id = $1`, [stalePerson])).toBe(false);
    // The fresh sign-up stays (it is only a week old), but its token expired (7 days): gone.
    expect(await exists(`signups WHERE email_normalized = $1`, [fresh])).toBe(true);
    expect(await exists(`action_tokens WHERE expires_at < $1`, [now])).toBe(false);
    for (const id of [confirmed.id, subscribed.id, imported.id]) expect(await exists(`people WHERE id = $1`, [id])).toBe(true);
    expect(await exists(`signups WHERE email_normalized = $1`, [confirmedSignup])).toBe(true);
  });
});
