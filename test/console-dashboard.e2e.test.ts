import request from 'supertest';
import { createOrganizer } from './factories/organizer.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { signInAs } from './support/console';
import { Platform, startPlatform } from './support/platform';
import { actionLink, ReceivedMail, SmtpSink } from './support/smtp-sink';

/**
 * The console dashboard against the real platform: its figures move with confirmations
 * exactly as the organizer API's do, its rollup always equals a count of the records
 * themselves (after confirmations, a deletion and an erasure), and it names nobody.
 */
describe('console dashboard', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizerKey: string;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    organizerKey = (await createOrganizer(platform.api, 'organizer')).apiKey;
  });
  afterAll(async () => {
    await platform?.close();
    await sink?.stop();
  });

  const confirm = (mail: ReceivedMail) =>
    http()
      .post(new URL(actionLink(mail)).pathname)
      .type('form')
      .send('');

  async function confirmOnly(email: string): Promise<void> {
    const mails = await sink.waitFor(email, 1);
    expect((await confirm(mails[mails.length - 1])).status).toBe(200);
  }

  /** A dashboard page's figures, as its tables state them. */
  function figures(page: string) {
    const total = (id: string) => Number(new RegExp(`id="${id}"[^]*?data-total="(\\d+)"`).exec(page)![1]);
    const rowValues = (attr: string, key: string) => {
      const row = new RegExp(`<tr ${attr}="${key}">([^]*?)</tr>`).exec(page);
      return row ? [...row[1].matchAll(/data-value="(-?\d+)"/g)].map((m) => Number(m[1])) : null;
    };
    return { signups: total('signups'), signatures: total('signatures'), row: rowValues };
  }

  async function dashboard(cookie: string, days = 30) {
    const res = await http().get(`/console/dashboard?days=${days}`).set('cookie', cookie);
    expect(res.status).toBe(200);
    return res.text;
  }

  /** The rollup, summed over all days, against counting the records (what it replaces). */
  async function expectRollupToEqualRecords(): Promise<void> {
    const [counted] = await platform.db.query(
      `SELECT (SELECT count(*) FROM signups WHERE status = 'confirmed')::int AS signups,
              (SELECT count(*) FROM signatures WHERE status = 'confirmed')::int AS signatures,
              (SELECT coalesce(sum(n), 0) FROM daily_counts WHERE metric = 'signup')::int AS "rolledSignups",
              (SELECT coalesce(sum(n), 0) FROM daily_counts WHERE metric = 'signature')::int AS "rolledSignatures"`,
    );
    expect(counted.rolledSignups).toBe(counted.signups);
    expect(counted.rolledSignatures).toBe(counted.signatures);
    const perList: Array<{ listId: string; counted: number; rolled: number }> = await platform.db.query(
      `SELECT l.id AS "listId",
              (SELECT count(*) FROM subscriptions s WHERE s.list_id = l.id AND s.status = 'subscribed')::int AS counted,
              (SELECT coalesce(sum(n), 0) FROM daily_counts c WHERE c.metric = 'subscriber' AND c.subject = l.id)::int AS rolled
       FROM lists l`,
    );
    for (const list of perList) expect(list.rolled).toBe(list.counted);
  }

  it('sends a browser with no session to sign in, and shows the dashboard to every role', async () => {
    const anonymous = await http().get('/console/dashboard');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/console/sign-in');
    for (const role of ['viewer', 'organizer', 'admin'] as const) {
      const login = await signInAs(platform.api, role);
      const page = await dashboard(login.cookie);
      expect(page).toContain('href="/console/dashboard"');
      expect(page).toContain('<svg');
      const home = await http().get('/console').set('cookie', login.cookie);
      expect(home.text).toContain('href="/console/dashboard"');
    }
  });

  it('counts confirmed sign-ups and signatures as the API does, and names nobody', async () => {
    const viewer = await signInAs(platform.api, 'viewer');
    const before = figures(await dashboard(viewer.cookie));
    const petition = await createPetition(platform.api, { goal: 10, title: 'Clean <water> & air' });

    // Two confirmed sign-ups and one left unconfirmed.
    const joiners = [uniqueEmail('dash-join'), uniqueEmail('dash-join'), uniqueEmail('dash-join')];
    for (const email of joiners) expect((await http().post('/api/v1/signups').send(signupPayload({ email }))).status).toBe(202);
    await confirmOnly(joiners[0]);
    await confirmOnly(joiners[1]);
    await sink.waitFor(joiners[2], 1);

    // Three confirmed signatures and one pending.
    const signers = [uniqueEmail('dash-sign'), uniqueEmail('dash-sign'), uniqueEmail('dash-sign'), uniqueEmail('dash-sign')];
    for (const email of signers) {
      const res = await http()
        .post(`/api/v1/petitions/${petition.slug}/signatures`)
        .send(signaturePayload({ email, givenName: 'Dashname' }));
      expect(res.status).toBe(202);
    }
    for (const email of signers.slice(0, 3)) await confirmOnly(email);
    await sink.waitFor(signers[3], 1);

    // The API's own count (aggregated a batch at a time) reaches 3; the dashboard shows the same.
    const auth = { authorization: `Bearer ${organizerKey}` };
    const deadline = Date.now() + 15_000;
    let apiCount = 0;
    while (Date.now() < deadline && apiCount !== 3) {
      apiCount = (await http().get(`/api/v1/admin/petitions/${petition.id}`).set(auth)).body.signatureCount;
      if (apiCount !== 3) await new Promise((r) => setTimeout(r, 200));
    }
    expect(apiCount).toBe(3);
    const listed = (await http().get(`/api/v1/admin/petitions/${petition.id}/signatures?limit=100`).set(auth)).body.items as Array<{
      status: string;
    }>;
    expect(listed.filter((s) => s.status === 'confirmed')).toHaveLength(3);
    for (const email of joiners.slice(0, 2)) {
      const people = (
        await http()
          .get(`/api/v1/admin/people?email=${encodeURIComponent(email)}`)
          .set(auth)
      ).body.items;
      expect(people).toHaveLength(1);
    }

    const page = await dashboard(viewer.cookie);
    const after = figures(page);
    expect(after.signups - before.signups).toBe(2);
    expect(after.signatures - before.signatures).toBe(3);
    expect(after.row('data-petition', petition.id)).toEqual([3, 10]);
    expect(page).toContain('Clean &lt;water&gt; &amp; air');
    expect(page).not.toContain('Clean <water>');
    for (const email of [...joiners, ...signers]) expect(page).not.toContain(email);
    expect(page).not.toContain('Dashname');

    // 90 days: ninety rows, the same totals (everything here happened today).
    const ninety = await dashboard(viewer.cookie, 90);
    expect((ninety.match(/<tr data-day=/g) ?? []).length).toBeGreaterThanOrEqual(90 * 2);
    expect(figures(ninety).signatures).toBeGreaterThanOrEqual(after.signatures);

    await expectRollupToEqualRecords();
  });

  it('keeps the list growth equal to the subscriptions, through unsubscribes, deletions and erasure', async () => {
    const viewer = await signInAs(platform.api, 'viewer');
    const email = uniqueEmail('dash-erase');
    expect((await http().post('/api/v1/signups').send(signupPayload({ email }))).status).toBe(202);
    await confirmOnly(email);
    const [defaultList] = await platform.db.query(`SELECT id, slug FROM lists WHERE is_default`);
    const before = figures(await dashboard(viewer.cookie)).row('data-list', defaultList.slug)!;
    const [person] = await platform.db.query(`SELECT id FROM people WHERE email_normalized = $1`, [email]);

    // Unsubscribing takes one off the list, today.
    await platform.db.query(`UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = now() WHERE person_id = $1`, [person.id]);
    const unsubscribed = figures(await dashboard(viewer.cookie)).row('data-list', defaultList.slug)!;
    expect(unsubscribed[0]).toBe(before[0] - 1);
    expect(unsubscribed[1]).toBe(before[1] - 1);
    await platform.db.query(`UPDATE subscriptions SET status = 'subscribed', unsubscribed_at = NULL WHERE person_id = $1`, [person.id]);

    // Erasure through the API: the sign-up's count and the subscription go with the person's records.
    const res = await http()
      .delete(`/api/v1/admin/people/${person.id}`)
      .set({ authorization: `Bearer ${organizerKey}` });
    expect(res.status).toBeLessThan(300);
    await expectRollupToEqualRecords();
    const erased = figures(await dashboard(viewer.cookie)).row('data-list', defaultList.slug)!;
    expect(erased[0]).toBe(before[0] - 1);
  });

  it('counts a bulk statement once per row, with one rollup row per day and connection slot', async () => {
    const [list] = await platform.db.query(
      `INSERT INTO lists (slug, name) VALUES ('dash-bulk-' || floor(random() * 1e9)::text, 'Bulk') RETURNING id`,
    );
    await platform.db.query(
      `WITH p AS (
         INSERT INTO people (email, email_normalized, confirmed_at)
         SELECT 'bulk-' || g || '-' || $2 || '@example.org', 'bulk-' || g || '-' || $2 || '@example.org', now() FROM generate_series(1, 500) g
         RETURNING id)
       INSERT INTO subscriptions (person_id, list_id, status, subscribed_at) SELECT id, $1, 'subscribed', now() FROM p`,
      [list.id, Date.now()],
    );
    const rows: Array<{ n: string }> = await platform.db.query(`SELECT n FROM daily_counts WHERE metric = 'subscriber' AND subject = $1`, [
      list.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].n)).toBe(500);
    await platform.db.query(
      `DELETE FROM people WHERE email LIKE 'bulk-%' AND id IN (SELECT person_id FROM subscriptions WHERE list_id = $1)`,
      [list.id],
    );
    await expectRollupToEqualRecords();
  });
});
