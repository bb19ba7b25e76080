import request from 'supertest';
import { ActionWorker } from '../src/actions/action-worker.service';
import { mailingPayload } from './factories/mailing.factory';
import { createOrganizer } from './factories/organizer.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { actionLink, SmtpSink } from './support/smtp-sink';

interface ListBody {
  id: string;
  slug: string;
  name: string;
  isDefault: boolean;
  public: boolean;
}

/**
 * Issue 19, finding 2: anyone could join any list by naming its slug in a sign-up (a list an
 * admin made for vetted people), and an unknown slug's 400 named it, so which lists exist
 * could be probed. Lists now have a `public` flag; public requests may name only public
 * lists, and a private slug is answered exactly as an unknown one.
 */
describe('public and private lists', () => {
  let platform: Platform;
  let sink: SmtpSink;
  let organizer: string;
  let viewer: string;
  let movementId: string;
  let seq = 0;
  const http = () => request(platform.api.getHttpServer());
  const admin = (method: 'get' | 'post' | 'patch', path: string, key = organizer) =>
    http()[method](path).set('authorization', `Bearer ${key}`);
  const newList = async (body: Record<string, unknown> = {}): Promise<ListBody> => {
    const res = await admin('post', '/api/v1/admin/lists').send({
      slug: `vetted-${Date.now()}-${seq++}`,
      name: 'Core organizers',
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body as ListBody;
  };
  const allLists = async (): Promise<ListBody[]> => {
    const res = await admin('get', '/api/v1/admin/lists?limit=500', viewer);
    expect(res.status).toBe(200);
    return res.body.items as ListBody[];
  };
  const subscriptionOf = async (email: string, listId: string): Promise<string | null> => {
    const rows: Array<{ status: string }> = await platform.db.query(
      `SELECT s.status FROM subscriptions s JOIN people p ON p.id = s.person_id WHERE p.email_normalized = $1 AND s.list_id = $2`,
      [email, listId],
    );
    return rows[0]?.status ?? null;
  };
  const confirm = async (email: string): Promise<void> => {
    const [mail] = await sink.waitFor(email, 1, 15_000);
    const link = new URL(actionLink(mail));
    expect((await http().post(link.pathname).type('form').send('')).status).toBe(200);
  };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    organizer = (await createOrganizer(platform.api, 'organizer')).apiKey;
    viewer = (await createOrganizer(platform.api, 'viewer')).apiKey;
    movementId = (await allLists()).find((l) => l.slug === 'movement')!.id;
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  describe('the organizer side', () => {
    afterAll(async () => {
      // Other tests rely on the movement's list being the default.
      expect((await admin('patch', `/api/v1/admin/lists/${movementId}`).send({ isDefault: true })).status).toBe(200);
    });

    it('new lists are private unless the organizer says so; the default list is public; GET carries the flag', async () => {
      const vetted = await newList();
      expect(vetted).toMatchObject({ isDefault: false, public: false });
      const open = await newList({ public: true });
      expect(open.public).toBe(true);
      const lists = await allLists();
      expect(lists.find((l) => l.id === vetted.id)).toMatchObject({ public: false });
      expect(lists.find((l) => l.id === open.id)).toMatchObject({ public: true });
      expect(lists.find((l) => l.slug === 'movement')).toMatchObject({ isDefault: true, public: true });
    });

    it('a list made private can be made public and back; viewers cannot; an unknown id is 404', async () => {
      const list = await newList();
      const opened = await admin('patch', `/api/v1/admin/lists/${list.id}`).send({ public: true });
      expect(opened.status).toBe(200);
      expect(opened.body).toMatchObject({ id: list.id, public: true, isDefault: false, name: 'Core organizers' });
      const renamed = await admin('patch', `/api/v1/admin/lists/${list.id}`).send({ public: false, name: 'Vetted' });
      expect(renamed.body).toMatchObject({ public: false, name: 'Vetted' });
      expect((await admin('patch', `/api/v1/admin/lists/${list.id}`, viewer).send({ public: true })).status).toBe(403);
      expect((await http().patch(`/api/v1/admin/lists/${list.id}`).send({ public: true })).status).toBe(401);
      expect((await admin('patch', '/api/v1/admin/lists/00000000-0000-4000-8000-000000000000').send({ public: true })).status).toBe(404);
      expect((await admin('patch', `/api/v1/admin/lists/${list.id}`).send({ slug: 'renamed' })).status).toBe(400);
      const [entry] = await platform.db.query(`SELECT action FROM audit_log WHERE target_id = $1 AND action = 'list.update' LIMIT 1`, [
        list.id,
      ]);
      expect(entry).toEqual({ action: 'list.update' });
    });

    it('the default list is always public: making a list the default makes it public, and it cannot be made private while default', async () => {
      const refused = await admin('post', '/api/v1/admin/lists').send({
        slug: `d-${Date.now()}`,
        name: 'No',
        isDefault: true,
        public: false,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([{ field: 'public', message: 'the default list is always public' }]);

      const created = await newList({ isDefault: true });
      expect(created).toMatchObject({ isDefault: true, public: true });
      const lists = await allLists();
      // The old default stops being it and stays public.
      expect(lists.find((l) => l.id === movementId)).toMatchObject({ isDefault: false, public: true });

      const privateOne = await newList();
      const promoted = await admin('patch', `/api/v1/admin/lists/${privateOne.id}`).send({ isDefault: true });
      expect(promoted.body).toMatchObject({ isDefault: true, public: true });
      const demote = await admin('patch', `/api/v1/admin/lists/${privateOne.id}`).send({ public: false });
      expect(demote.status).toBe(400);
      expect(demote.body.details).toEqual([{ field: 'public', message: 'the default list is always public' }]);
      expect((await admin('patch', `/api/v1/admin/lists/${privateOne.id}`).send({ isDefault: false })).status).toBe(400);
      expect((await allLists()).filter((l) => l.isDefault).map((l) => l.id)).toEqual([privateOne.id]);
      // And the database holds it too, whatever a later code path tries.
      await expect(platform.db.query(`UPDATE lists SET is_public = false WHERE id = $1`, [privateOne.id])).rejects.toThrow(
        /CHK_lists_default_public/,
      );
    });
  });

  describe('the public side', () => {
    it('the attack: a sign-up naming a private list gets exactly the answer of an unknown slug, and subscribes nobody', async () => {
      const vetted = await newList();
      const email = uniqueEmail('infiltrator');
      const named = await http()
        .post('/api/v1/signups')
        .send(signupPayload({ email, lists: [vetted.slug] }));
      const unknown = await http()
        .post('/api/v1/signups')
        .send(signupPayload({ email, lists: [`${vetted.slug}x`] }));
      expect(named.status).toBe(400);
      expect(named.body).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Validation failed',
        details: [{ field: 'lists', message: 'unknown list' }],
      });
      expect(named.text).toBe(unknown.text);
      expect(named.headers['content-length']).toBe(unknown.headers['content-length']);
      // With a public list beside it, the same again.
      const mixed = await http()
        .post('/api/v1/signups')
        .send(signupPayload({ email, lists: ['movement', vetted.slug] }));
      const mixedUnknown = await http()
        .post('/api/v1/signups')
        .send(signupPayload({ email, lists: ['movement', `${vetted.slug}x`] }));
      expect(mixed.status).toBe(400);
      expect(mixed.text).toBe(mixedUnknown.text);
      const [{ n }] = await platform.db.query(`SELECT count(*)::int AS n FROM signups WHERE email_normalized = $1`, [email]);
      expect(n).toBe(0);
    });

    it('a list made private after the request: confirming subscribes to the public ones only', async () => {
      const open = await newList({ public: true });
      const closing = await newList({ public: true });
      const email = uniqueEmail('before-closed');
      const res = await http()
        .post('/api/v1/signups')
        .send(signupPayload({ email, lists: [open.slug, closing.slug] }));
      expect(res.status).toBe(202);
      await sink.waitFor(email, 1, 15_000);
      expect(await subscriptionOf(email, closing.id)).toBe('pending');
      expect((await admin('patch', `/api/v1/admin/lists/${closing.id}`).send({ public: false })).status).toBe(200);

      await confirm(email);
      expect(await subscriptionOf(email, open.id)).toBe('subscribed');
      expect(await subscriptionOf(email, closing.id)).not.toBe('subscribed');
      const [consent] = await platform.db.query(
        `SELECT c.list_slugs FROM consent_records c JOIN people p ON p.id = c.person_id WHERE p.email_normalized = $1`,
        [email],
      );
      expect(consent.list_slugs).toEqual([open.slug]);
    });

    it('a sign-up stored naming a private list (before the flag existed) is decided and confirmed without it', async () => {
      const vetted = await newList();
      const email = uniqueEmail('stored');
      const [{ id }] = await platform.db.query(
        `INSERT INTO signups (email, email_normalized, language, list_slugs, consent_text_version)
         VALUES ($1, $1, 'en', $2, 'join-2026-11') RETURNING id`,
        [email, [vetted.slug]],
      );
      // Its job, as the worker runs it (the outbox entry such a request had is long dispatched).
      await platform.worker!.get(ActionWorker).process('join', id);
      await confirm(email);
      const [person] = await platform.db.query(`SELECT confirmed_at FROM people WHERE email_normalized = $1`, [email]);
      expect(person.confirmed_at).not.toBeNull();
      expect(await subscriptionOf(email, vetted.id)).toBeNull();
    });

    it('a public list can be joined; imports and mailings may still name private lists', async () => {
      const open = await newList({ public: true });
      const email = uniqueEmail('joins-open');
      expect(
        (
          await http()
            .post('/api/v1/signups')
            .send(signupPayload({ email, lists: [open.slug] }))
        ).status,
      ).toBe(202);
      await confirm(email);
      expect(await subscriptionOf(email, open.id)).toBe('subscribed');

      const vetted = await newList();
      const vouched = uniqueEmail('vetted');
      const imported = await admin('post', `/api/v1/admin/imports/people?list=${vetted.slug}&consent=confirmed`)
        .set('content-type', 'text/csv')
        .send(`email,givenName\n${vouched},Noor\n`);
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ imported: 1, rejected: [] });
      expect(await subscriptionOf(vouched, vetted.id)).toBe('subscribed');
      expect((await admin('post', '/api/v1/admin/mailings').send(mailingPayload([vetted.slug]))).status).toBe(201);
      const people = await admin('get', `/api/v1/admin/people?list=${vetted.slug}`);
      expect(people.body.items.map((p: { email: string }) => p.email)).toEqual([vouched]);
    });
  });
});
