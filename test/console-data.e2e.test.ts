import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import request from 'supertest';
import { ImportJobRunner } from '../src/imports/import-job.runner';
import { ImportJobsRepository } from '../src/imports/import-jobs.repository';
import { ImportJobsSweeper } from '../src/imports/import-jobs.sweeper';
import { ImportWizardService } from '../src/imports/import-wizard.service';
import { SuppressionRepository } from '../src/mail/suppression.repository';
import { PersonTimelineService } from '../src/people/person-timeline.service';
import { createOrganizer } from './factories/organizer.factory';
import { createList, createPerson } from './factories/person.factory';
import { uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';

/**
 * The services behind the console's people, imports and exports screens, on the real
 * PostgreSQL and Redis: the people search's new filters, a person's timeline, and the
 * background import (stored file, mapping, preview, a worker job that resumes exactly).
 */
describe('console data: people search, timeline, background imports', () => {
  let platform: Platform;
  let organizer: { id: string; apiKey: string };
  const http = () => request(platform.api.getHttpServer());
  const wizard = () => platform.worker!.get(ImportWizardService);
  const jobs = () => platform.worker!.get(ImportJobsRepository);
  const runner = () => platform.worker!.get(ImportJobRunner);
  const until = async (check: () => Promise<boolean>, ms = 20_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    platform = await startPlatform();
    organizer = await createOrganizer(platform.api, 'organizer');
  });
  afterAll(() => platform.close());

  describe('people search', () => {
    const list = (query: string) =>
      http().get(`/api/v1/admin/people?${query}`).set('authorization', `Bearer ${organizer.apiKey}`).expect(200);
    const tag = `t-${randomUUID().slice(0, 8)}`;

    it('finds people by name prefix (given or family, any case, wildcards literal) and by confirmed or not', async () => {
      const amal = await createPerson(platform.db, { givenName: 'Amélie', familyName: 'Zed', tags: [tag] });
      const omid = await createPerson(platform.db, { givenName: 'Omid', familyName: 'AMÉLINE', confirmed: false, tags: [tag] });
      const pct = await createPerson(platform.db, { givenName: '50%_off', familyName: null, tags: [tag] });
      await createPerson(platform.db, { givenName: '50xyoff', familyName: null, tags: [tag] });
      await createPerson(platform.db, { givenName: 'أمل', familyName: 'حداد', tags: [tag] });
      const ids = async (q: string) => (await list(`tag=${tag}&${q}`)).body.items.map((p: { id: string }) => p.id).sort();

      expect(await ids(`name=${encodeURIComponent('amé')}`)).toEqual([amal.id, omid.id].sort());
      expect(await ids(`name=${encodeURIComponent('AMÉLIN')}`)).toEqual([omid.id]);
      expect(await ids('name=amel')).toEqual([]);
      expect(await ids('name=50%25_')).toEqual([pct.id]);
      expect(await ids(`name=${encodeURIComponent('أم')}`)).toHaveLength(1);
      expect(await ids('name=am%C3%A9&confirmed=false')).toEqual([omid.id]);
      expect(await ids('name=am%C3%A9&confirmed=true')).toEqual([amal.id]);
      await http().get('/api/v1/admin/people?confirmed=maybe').set('authorization', `Bearer ${organizer.apiKey}`).expect(400);
    });

    it('answers an unknown list with no one, and records a name filter in the audit log without its value', async () => {
      expect((await list(`list=no-such-${randomUUID().slice(0, 6)}`)).body.items).toEqual([]);
      await list('name=Secretname');
      const [entry] = await platform.db.query(
        `SELECT details FROM audit_log WHERE action = 'people.list' AND organizer_id = $1 ORDER BY created_at DESC LIMIT 1`,
        [organizer.id],
      );
      expect(entry.details.filters).toEqual({ name: '(given)' });
      expect(JSON.stringify(entry)).not.toContain('Secretname');
    });

    it('pages with the keyset cursor through a small list among many people', async () => {
      const small = await createList(platform.db, 'small');
      const members = [];
      for (let i = 0; i < 5; i++)
        members.push(await createPerson(platform.db, { lists: [small.slug], createdAt: new Date(Date.now() - i * 1000) }));
      const first = (await list(`list=${small.slug}&limit=2`)).body;
      const second = (await list(`list=${small.slug}&limit=2&cursor=${first.nextCursor}`)).body;
      const third = (await list(`list=${small.slug}&limit=2&cursor=${second.nextCursor}`)).body;
      expect([...first.items, ...second.items, ...third.items].map((p: { id: string }) => p.id)).toEqual(members.map((m) => m.id));
      expect(third.nextCursor).toBeNull();
    });
  });

  it("builds a person's timeline, newest first, from every section (subscriptions, consent, emails, sign-ups)", async () => {
    const listA = await createList(platform.db, 'tl');
    const person = await createPerson(platform.db, { lists: [listA.slug] });
    await platform.db.query(
      `UPDATE subscriptions SET subscribed_at = now() - interval '3 days', status = 'unsubscribed', unsubscribed_at = now() - interval '1 day'
       WHERE person_id = $1`,
      [person.id],
    );
    await platform.db.query(
      `INSERT INTO consent_records (person_id, action, form, text_version, list_slugs, given_at, confirmed_at)
       VALUES ($1, 'signup', 'join-form', 'v1', $2, now() - interval '4 days', now() - interval '3 days')`,
      [person.id, [listA.slug]],
    );
    const timeline = await platform.api.get(PersonTimelineService).timeline(person.id);
    const summary = timeline.map((e) => `${e.section}:${e.event}`);
    expect(summary).toEqual(
      expect.arrayContaining([
        'subscriptions:unsubscribed',
        'subscriptions:subscribed',
        'consentRecords:given',
        'consentRecords:confirmed',
      ]),
    );
    const times = timeline.map((e) => e.at.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(timeline.find((e) => e.event === 'unsubscribed')?.subject).toBe(`List ${listA.slug}`);
    await expect(platform.api.get(PersonTimelineService).timeline(randomUUID())).rejects.toThrow('No such person');
  });

  describe('background imports', () => {
    const upload = (csv: string, filename = 'people.csv') => wizard().upload(Readable.from([Buffer.from(csv)]), filename, organizer.id);
    /** Queued without the outbox, so the test (not the worker) runs it. */
    const queueByHand = async (id: string, mapping: Array<string | null>, lists: string[] = []) => {
      await jobs().queue(
        id,
        { mapping, lists, consentConfirmed: false, overwrite: false },
        { id: randomUUID(), queue: 'imports', jobName: 'run-import', jobId: `manual-${id}`, payload: { importId: id } },
        () => Promise.resolve(),
      );
    };

    it('stores the file, guesses the mapping from the header, remembers it, and previews lines with their problems', async () => {
      const suppressed = uniqueEmail('sup');
      await platform.api.get(SuppressionRepository, { strict: false }).add(suppressed, 'erasure');
      const header = `E-mail,First Name,Surname,Notes,Pays`;
      const csv = [
        header,
        `${uniqueEmail('w')},Amal,Haddad,x,LB`,
        `bad,Omid,K,y,IR`,
        `${suppressed},S,T,z,FR`,
        `${uniqueEmail('w')},A,B,c,XX`,
      ].join('\r\n');
      const first = await upload(csv, '../../etc/évil\u0007.csv');
      expect(first.job.header).toEqual(['E-mail', 'First Name', 'Surname', 'Notes', 'Pays']);
      expect(first.job.filename).toBe('évil.csv');
      expect(first.job.status).toBe('uploaded');
      expect(first.job.bytes).toBe(Buffer.byteLength(csv));
      expect(first.suggested).toEqual(['email', 'givenName', 'familyName', null, 'country']);
      expect(first.remembered).toBe(false);

      const preview = await wizard().preview(first.job.id, { mapping: first.suggested, lists: [] });
      expect(preview.map((l) => [l.line, l.problem])).toEqual([
        [2, null],
        [3, 'email must be an email address'],
        [4, 'the address is suppressed (erased, bounced or complained) and cannot be imported'],
        [5, 'country must be an ISO 3166-1 alpha-2 code'],
      ]);
      expect(preview[0].cells).toEqual(expect.objectContaining({ givenName: 'Amal', familyName: 'Haddad', country: 'LB' }));

      // The organizer changes the mapping (Notes → postalCode ignored, Surname ignored) and starts.
      const mapping = ['email', 'givenName', null, null, 'country'];
      await expect(wizard().preview(first.job.id, { mapping: ['givenName', null, null, null, null], lists: [] })).rejects.toThrow('email');
      await expect(wizard().preview(first.job.id, { mapping: ['email', 'email', null, null, null], lists: [] })).rejects.toThrow('two');
      await expect(wizard().preview(first.job.id, { mapping, lists: ['no-such-list'] })).rejects.toThrow('Unknown list');
      await wizard().start(undefined, first.job.id, { mapping, lists: [], consentConfirmed: false, overwrite: false });
      await expect(
        wizard().start(undefined, first.job.id, { mapping, lists: [], consentConfirmed: false, overwrite: false }),
      ).rejects.toThrow('already started');
      const second = await upload(`${header.toUpperCase()}\n${uniqueEmail('w')},A,B,c,FR`);
      expect(second.remembered).toBe(true);
      expect(second.suggested).toEqual(mapping);

      // The worker (outbox → imports queue) runs the first one.
      await until(async () => (await wizard().get(first.job.id)).status === 'done');
      const done = await wizard().get(first.job.id);
      expect(done).toEqual(expect.objectContaining({ imported: 1, updated: 0, rejected: 3, bytesRead: done.bytes, checkpointLine: 5 }));
      expect(await jobs().rejections(first.job.id, 0, 100)).toEqual([
        { line: 3, reason: 'email must be an email address' },
        { line: 4, reason: 'the address is suppressed (erased, bounced or complained) and cannot be imported' },
        { line: 5, reason: 'country must be an ISO 3166-1 alpha-2 code' },
      ]);
      const [person] = await platform.db.query(`SELECT given_name, family_name, country FROM people WHERE email = $1`, [
        csv.split('\r\n')[1].split(',')[0],
      ]);
      expect(person).toEqual({ given_name: 'Amal', family_name: null, country: 'LB' });
    });

    it('refuses an empty file and a file over 50 MB, storing nothing', async () => {
      const before = Number((await platform.db.query(`SELECT count(*) FROM import_jobs`))[0].count);
      await expect(upload('')).rejects.toThrow('empty');
      const big = Readable.from(
        (function* () {
          const piece = Buffer.alloc(1024 * 1024, 'a');
          for (let i = 0; i < 51; i++) yield piece;
        })(),
      );
      await expect(wizard().upload(big, 'big.csv', organizer.id)).rejects.toThrow('at most 50 MB');
      expect(Number((await platform.db.query(`SELECT count(*) FROM import_jobs`))[0].count)).toBe(before);
    });

    it('a run killed half-way resumes after its last checkpoint: every line once, counts exact, every rejection kept', async () => {
      const lines = ['email,givenName'];
      for (let i = 0; i < 2_600; i++) lines.push(i % 100 === 7 ? `broken-${i},X` : `${uniqueEmail(`r${i}`)},Name${i}`);
      const { job } = await upload(lines.join('\n'));
      await queueByHand(job.id, ['email', 'givenName']);

      // The worker dies during the third batch's transaction (nothing of it commits).
      const repo = jobs();
      const original = repo.checkpoint.bind(repo);
      let calls = 0;
      const spy = jest.spyOn(repo, 'checkpoint').mockImplementation(async (...args) => {
        if (++calls === 3) throw new Error('worker killed');
        return original(...args);
      });
      await expect(runner().run({ importId: job.id })).rejects.toThrow('worker killed');
      spy.mockRestore();
      const halfway = await wizard().get(job.id);
      expect(halfway.status).toBe('queued');
      expect(halfway.checkpointLine).toBeGreaterThan(1_000);
      expect(halfway.imported).toBe(halfway.checkpointLine - 1 - (await jobs().rejections(job.id, 0, 10_000)).length);

      // Run twice at once: one claims it, the other does nothing.
      await Promise.all([runner().run({ importId: job.id }), runner().run({ importId: job.id })]);
      const done = await wizard().get(job.id);
      expect(done).toEqual(expect.objectContaining({ status: 'done', imported: 2_574, updated: 0, rejected: 26, attempts: 2 }));
      const rejected = await jobs().rejections(job.id, 0, 10_000);
      expect(rejected.map((r) => r.line)).toEqual(Array.from({ length: 26 }, (_, k) => k * 100 + 9));
      const [{ count }] = await platform.db.query(`SELECT count(*)::int FROM people WHERE given_name LIKE 'Name%' AND email LIKE 'r%'`);
      expect(count).toBeGreaterThanOrEqual(2_574);
    });

    it('a job whose worker died (heartbeat stale) is re-driven by the sweeper and finished by the worker', async () => {
      const { job } = await upload(`email\n${uniqueEmail('sw')}\n${uniqueEmail('sw')}`);
      await queueByHand(job.id, ['email']);
      // As a killed worker leaves it: claimed, heartbeat long gone, no job in Redis.
      await platform.db.query(
        `UPDATE import_jobs SET status = 'running', attempts = 1, heartbeat_at = now() - interval '5 minutes' WHERE id = $1`,
        [job.id],
      );
      expect(await platform.worker!.get(ImportJobsSweeper).runOnce()).toBeGreaterThanOrEqual(1);
      await until(async () => (await wizard().get(job.id)).status === 'done');
      expect(await wizard().get(job.id)).toEqual(expect.objectContaining({ imported: 2, attempts: 2 }));
    });

    it('a file the import refuses (a list deleted since) fails the job with the reason, once', async () => {
      const gone = await createList(platform.db, 'gone');
      const { job } = await upload(`email\n${uniqueEmail('f')}`);
      await queueByHand(job.id, ['email'], [gone.slug]);
      await platform.db.query(`DELETE FROM lists WHERE id = $1`, [gone.id]);
      await runner().run({ importId: job.id });
      expect(await wizard().get(job.id)).toEqual(expect.objectContaining({ status: 'failed', error: `Unknown list: ${gone.slug}` }));
    });
  });
});
