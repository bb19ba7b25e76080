import { GoneException } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { SignPetitionDto } from '../src/petitions/dto/sign-petition.dto';
import { PetitionsRepository, SignatureRequest } from '../src/petitions/petitions.repository';
import { SignPetitionService } from '../src/petitions/sign-petition.service';
import { createPerson } from './factories/person.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';

/**
 * The sign path writes the requests that arrive together as one batch (one statement, one
 * commit). Each request still gets its own answer, its own signature and its own outbox
 * intent; a failed batch fails its own requests and leaves nothing of them behind.
 */
describe('signature batches (real PostgreSQL and Redis)', () => {
  let platform: Platform;
  let killer: Client;
  /** Every batch the repository was given, as the addresses it held. */
  let batches: string[][];
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
    const repository = platform.api.get(PetitionsRepository);
    const signMany = repository.signMany.bind(repository);
    jest.spyOn(repository, 'signMany').mockImplementation((requests: SignatureRequest[], intent) => {
      batches.push(requests.map((r) => r.signature.emailNormalized));
      return signMany(requests, intent);
    });
    killer = new Client({ connectionString: process.env.DATABASE_URL });
    await killer.connect();
  });
  beforeEach(() => {
    batches = [];
  });
  afterAll(async () => {
    await killer.end();
    await platform.close();
  });

  /** Signs through the service, all in the same turn, so they make one batch. */
  function signTogether(slug: string, payloads: Array<Record<string, unknown>>): Promise<PromiseSettledResult<void>[]> {
    const service = platform.api.get(SignPetitionService);
    return Promise.allSettled(payloads.map((p) => service.sign(slug, p as unknown as SignPetitionDto, '192.0.2.1')));
  }

  async function stored(petitionId: string, email: string) {
    const signatures: Array<{ id: string; sign_requests: number; given_name: string }> = await platform.db.query(
      `SELECT s.id, s.sign_requests, s.given_name FROM signatures s JOIN people p ON p.id = s.person_id
       WHERE s.petition_id = $1 AND p.email_normalized = $2`,
      [petitionId, email.toLowerCase()],
    );
    const intents: Array<{ job_id: string }> = signatures.length
      ? await platform.db.query(`SELECT job_id FROM outbox WHERE payload->>'signatureId' = $1 ORDER BY job_id`, [signatures[0].id])
      : [];
    const [{ people }] = await platform.db.query(`SELECT count(*)::int AS people FROM people WHERE email_normalized = $1`, [
      email.toLowerCase(),
    ]);
    return { signatures, intents: intents.map((i) => i.job_id), people: people as number };
  }

  it('stores every signer of one batch with an outbox intent of its own', async () => {
    const petition = await createPetition(platform.api);
    const payloads = Array.from({ length: 25 }, () => signaturePayload());
    const results = await signTogether(petition.slug, payloads);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(25);
    for (const p of payloads) {
      const { signatures, intents } = await stored(petition.id, p.email as string);
      expect(signatures).toHaveLength(1);
      expect(intents).toEqual([`signature-${signatures[0].id}`]);
    }
  });

  it('makes one signature of the same address twice in a batch, with one intent per request', async () => {
    const petition = await createPetition(platform.api);
    const email = uniqueEmail('twice');
    const results = await signTogether(petition.slug, [
      signaturePayload({ email, givenName: 'First' }),
      signaturePayload({ email: email.toUpperCase(), givenName: 'Second' }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toEqual([email.toLowerCase()]);
    const { signatures, intents, people } = await stored(petition.id, email);
    expect(people).toBe(1);
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toMatchObject({ sign_requests: 2, given_name: 'First' });
    const id = signatures[0].id;
    expect(intents).toEqual([`signature-${id}`, `signature-${id}-2`]);

    // The same address in a later batch counts as one more request on the same signature.
    await signTogether(petition.slug, [signaturePayload({ email })]);
    const again = await stored(petition.id, email);
    expect(again.signatures).toEqual([expect.objectContaining({ id, sign_requests: 3 })]);
    expect(again.intents).toEqual([`signature-${id}`, `signature-${id}-2`, `signature-${id}-3`]);
  });

  it('answers 410 to the requests for a petition closed a moment ago, and 202 to the rest of the batch', async () => {
    const open = await createPetition(platform.api);
    const closing = await createPetition(platform.api);
    // The API's cache says both are open (and answers at once, so the requests make one
    // batch); the database, changed behind its back, says one is closed.
    for (const p of [open, closing]) expect((await http().get(`/api/v1/petitions/${p.slug}`)).body.status).toBe('open');
    await platform.db.query(`UPDATE petitions SET status = 'closed' WHERE id = $1`, [closing.id]);
    const service = platform.api.get(SignPetitionService);
    const toOpen = [signaturePayload(), signaturePayload()];
    const toClosed = [signaturePayload(), signaturePayload()];
    const sign = (slug: string, p: Record<string, unknown>) => service.sign(slug, p as unknown as SignPetitionDto, '192.0.2.1');
    const results = await Promise.allSettled([
      sign(open.slug, toOpen[0]),
      sign(closing.slug, toClosed[0]),
      sign(open.slug, toOpen[1]),
      sign(closing.slug, toClosed[1]),
    ]);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(4);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(GoneException);
    for (const p of toOpen) expect((await stored(open.id, p.email as string)).signatures).toHaveLength(1);
    for (const p of toClosed) expect(await stored(closing.id, p.email as string)).toEqual({ signatures: [], intents: [], people: 0 });
  });

  it('fails only the requests of a batch whose connection is killed, leaves nothing of them, and signs later requests', async () => {
    const petition = await createPetition(platform.api);
    // A transaction holding a known person's row keeps the batch that upserts them waiting.
    const held = await createPerson(platform.db, { email: uniqueEmail('held') });
    const locker = new Client({ connectionString: process.env.DATABASE_URL });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('SELECT 1 FROM people WHERE id = $1 FOR UPDATE', [held.id]);
    try {
      const payloads = [signaturePayload({ email: held.email }), ...Array.from({ length: 9 }, () => signaturePayload())];
      const answers = Promise.all(payloads.map((p) => http().post(`/api/v1/petitions/${petition.slug}/signatures`).send(p)));
      // Kill the connection of the batch stuck on the lock (found by its statement's opening:
      // pg_stat_activity keeps only the first 1 KB of a query's text).
      let killed = 0;
      for (let i = 0; i < 200 && killed === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const rows = await killer.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%WITH input AS%unnest%'`,
        );
        killed = rows.rowCount ?? 0;
      }
      expect(killed).toBe(1);
      const responses = await answers;
      const refused = payloads.filter((_, i) => responses[i].status !== 202);
      const accepted = payloads.filter((_, i) => responses[i].status === 202);
      expect(refused.map((p) => p.email)).toContain(held.email);
      for (const res of responses) {
        expect([202, 503]).toContain(res.status);
        if (res.status === 503) expect(res.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      }
      for (const p of refused) {
        const s = await stored(petition.id, p.email as string);
        expect(s.signatures).toHaveLength(0);
        expect(s.intents).toHaveLength(0);
        // Only the person who existed before remains; a refused new address left no person.
        expect(s.people).toBe(p.email === held.email ? 1 : 0);
      }
      for (const p of accepted) {
        const s = await stored(petition.id, p.email as string);
        expect(s.signatures).toHaveLength(1);
        expect(s.intents).toEqual([`signature-${s.signatures[0].id}`]);
      }
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }

    // Later requests, the refused address included, are signed as usual.
    const later = [signaturePayload({ email: held.email }), signaturePayload()];
    for (const p of later) expect((await http().post(`/api/v1/petitions/${petition.slug}/signatures`).send(p)).status).toBe(202);
    for (const p of later) {
      const s = await stored(petition.id, p.email as string);
      expect(s.signatures).toHaveLength(1);
      expect(s.intents).toEqual([`signature-${s.signatures[0].id}`]);
    }
  });
});
