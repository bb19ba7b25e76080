import request from 'supertest';
import { createOrganizer } from './factories/organizer.factory';
import { createList, createManySubscribers, mailingPayload } from './factories/mailing.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { csvRecords, rawBody } from './support/csv';
import { pgbouncerBinary, TestPgBouncer } from './support/pgbouncer';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';
import { SmtpSink } from './support/smtp-sink';

const describeWithPgBouncer = pgbouncerBinary()
  ? describe
  : (console.warn('skipping: pgbouncer is not installed (apt-get install pgbouncer; .ci/run installs it)'), describe.skip);

/**
 * Every process's connections through a real PgBouncer (Debian's, 1.18: no prepared
 * statements in transaction mode) with four server connections for all of them, so that
 * transactions of different clients really take turns on the same server connections.
 */
describeWithPgBouncer('through PgBouncer in transaction mode (DATABASE_POOL_MODE=transaction)', () => {
  let bouncer: TestPgBouncer;
  let sink: SmtpSink;
  let platform: Platform;
  let key: string;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    bouncer = await TestPgBouncer.start(process.env.DATABASE_URL as string, 4);
    sink = await new SmtpSink().start();
    platform = await startPlatform({
      DATABASE_URL: bouncer.url,
      DATABASE_POOL_MODE: 'transaction',
      SMTP_URL: sink.url,
      MAIL_RATE_PER_SECOND: '0',
    });
    key = (await createOrganizer(platform.api, 'organizer')).apiKey;
  }, 60_000);
  afterAll(async () => {
    await platform?.close();
    await sink?.stop();
    await bouncer?.stop();
  });

  it('signs: concurrent signatures are written in batches (the batch statement unnamed), each stored with its intent and confirmed by email', async () => {
    const petition = await createPetition(platform.api);
    const bodies = Array.from({ length: 60 }, () => signaturePayload());
    const answers = await Promise.all(bodies.map((body) => http().post(`/api/v1/petitions/${petition.slug}/signatures`).send(body)));
    expect(answers.map((a) => a.status)).toEqual(bodies.map(() => 202));
    const [stored] = await platform.db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.payload->>'signatureId' = s.id::text))::int AS intents
       FROM signatures s WHERE s.petition_id = $1`,
      [petition.id],
    );
    expect(stored).toEqual({ n: 60, intents: 60 });
    for (const body of bodies) await sink.waitFor(body.email as string, 1, 30_000);
  }, 90_000);

  it('sends a newsletter to every subscriber once (the planner takes its advisory lock per transaction)', async () => {
    const tag = `pgb-${Date.now()}`;
    const list = await createList(platform.db, `PgBouncer ${tag}`);
    await createManySubscribers(platform.db, list.id, 60, tag);
    const id = (
      await http()
        .post('/api/v1/admin/mailings')
        .set('authorization', `Bearer ${key}`)
        .send(mailingPayload([list.slug]))
    ).body.id as string;
    expect((await http().post(`/api/v1/admin/mailings/${id}/send`).set('authorization', `Bearer ${key}`)).status).toBe(200);
    await waitUntil(
      async () => (await http().get(`/api/v1/admin/mailings/${id}`).set('authorization', `Bearer ${key}`)).body.status === 'sent',
      60_000,
      'the mailing to be sent',
    );
    for (let i = 1; i <= 60; i++) expect(sink.to(`${tag}-${i}@example.org`)).toHaveLength(1);
  }, 90_000);

  it('exports people.csv (a COPY) through it: every person, as PostgreSQL counts them', async () => {
    const res = await http()
      .get('/api/v1/admin/exports/people.csv')
      .set('authorization', `Bearer ${key}`)
      .buffer(true)
      .parse(rawBody)
      .expect(200);
    const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM people`);
    const rows = csvRecords(res);
    expect(rows).toHaveLength(n);
    expect(rows.some((r) => r.email.startsWith('pgb-'))).toBe(true);
  });

  it('PgBouncer refused nothing: no start-up parameter it cannot carry, no prepared statement left on a server connection', () => {
    expect(bouncer.log).not.toMatch(/unsupported startup parameter|prepared statement/i);
  });
});
