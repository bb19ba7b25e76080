import request from 'supertest';
import { ActionWorker } from '../src/actions/action-worker.service';
import { ActionsReconciler } from '../src/actions/actions-reconciler.task';
import { Clock } from '../src/common/clock';
import { SUPPORTED_LANGUAGES, SupportedLanguage } from '../src/common/languages';
import { messages } from '../src/messages/catalogue';
import { SuppressionRepository } from '../src/mail/suppression.repository';
import { RetentionService } from '../src/retention/retention.service';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { createOrganizer } from './factories/organizer.factory';
import { createPerson } from './factories/person.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';
import { actionLink, ReceivedMail, SmtpSink } from './support/smtp-sink';

const DAY = 86_400_000;

/** Issue 19, finding 3: text a requester types for someone else's address, to be read inside the movement's own email. */
const PHISHING = 'your account is locked. Reset it at http://evil.example/reset';
const PHISHING_FAMILY = 'Support team, call +1 555 0100';
/** Fragments of the typed text that survive HTML escaping as they are: none may reach the email. */
const PHISHING_FRAGMENTS = ['account is locked', 'evil.example', 'Support team', 'verify now'];

/** One thing to act on (the movement, a petition, an event), as the shared cases use it. */
interface Target {
  /** The public POST of the action. */
  path: string;
  payload(email: string, overrides?: Record<string, unknown>): Record<string, unknown>;
  /** `FROM ...` of the address's records on this target (`$1` the normalized address). */
  records: string;
  /** A request whose job was lost: committed ten minutes ago, its outbox entry gone. */
  lose(email: string): Promise<void>;
  /** Dates the address's records on this target back (`$2`), as if requested then. */
  backdate: string;
}

interface Kind {
  kind: 'join' | 'signature' | 'rsvp';
  table: string;
  linkPrefix: string;
  pages: { confirmed: string; already: string };
  /** SQL condition on the kind's table alias `r`: the request is still undecided. */
  undecided: string;
  /** The neutral greeting of its confirmation email, in each language (the catalogue's). */
  greeting: Record<SupportedLanguage, string>;
  /** Every free-text field its public body takes, filled by an attacker (names, comment, referrer). */
  typed: Record<string, unknown>;
  target(): Promise<Target>;
}

describe('every action kind: join, signature, RSVP (real PostgreSQL, Redis, SMTP)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizerKey: string;
  const http = () => request(platform.api.getHttpServer());
  const count = async (sql: string, params: unknown[] = []): Promise<number> =>
    Number((await platform.db.query(`SELECT count(*)::int AS n ${sql}`, params))[0].n);
  const personId = async (email: string): Promise<string> =>
    (await platform.db.query(`SELECT id FROM people WHERE email_normalized = $1`, [email]))[0].id as string;
  const linkPath = (mail: ReceivedMail): string => new URL(actionLink(mail)).pathname;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    organizerKey = (await createOrganizer(platform.api, 'organizer')).apiKey;
  });
  afterEach(() => jest.restoreAllMocks());
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  const KINDS: Kind[] = [
    {
      kind: 'join',
      table: 'signups',
      linkPrefix: '/confirm/',
      pages: { confirmed: 'Welcome to the movement', already: 'Already confirmed' },
      undecided: `r.status = 'received'`,
      greeting: messages((m) => m.join.email.greeting),
      typed: { givenName: PHISHING, familyName: PHISHING_FAMILY, source: 'verify now at evil.example' },
      target: () =>
        Promise.resolve({
          path: '/api/v1/signups',
          payload: (email, overrides = {}) => signupPayload({ email, ...overrides }),
          records: `FROM signups r WHERE r.email_normalized = $1`,
          lose: async (email) => {
            await platform.db.query(
              `INSERT INTO signups (email, email_normalized, consent_text_version, language, created_at)
               VALUES ($1, $1, 'join-2026-11', 'fr', now() - interval '10 minutes')`,
              [email],
            );
          },
          backdate: `UPDATE signups SET created_at = $2 WHERE email_normalized = $1`,
        }),
    },
    {
      kind: 'signature',
      table: 'signatures',
      linkPrefix: '/petitions/confirm/',
      pages: { confirmed: 'Your signature counts', already: 'Already confirmed' },
      undecided: `r.handled_requests < r.sign_requests`,
      greeting: messages((m) => m.signature.email.greeting),
      typed: {
        givenName: PHISHING,
        familyName: PHISHING_FAMILY,
        comment: 'Urgent: verify now at http://evil.example/verify',
        referrer: { source: 'evil.example', campaign: 'verify now' },
      },
      target: async () => {
        const { id, slug } = await createPetition(platform.api);
        return {
          path: `/api/v1/petitions/${slug}/signatures`,
          payload: (email, overrides = {}) => signaturePayload({ email, ...overrides }),
          records: `FROM signatures r JOIN people p ON p.id = r.person_id WHERE p.email_normalized = $1 AND r.petition_id = '${id}'`,
          lose: async (email) => {
            const person = await createPerson(platform.db, { email, confirmed: false });
            await platform.db.query(
              `INSERT INTO signatures (petition_id, person_id, given_name, country, language, consent_text_version, created_at)
               VALUES ($1, $2, 'Zoé', 'FR', 'fr', 'petition-2026-11', now() - interval '10 minutes')`,
              [id, person.id],
            );
          },
          backdate: `UPDATE signatures r SET created_at = $2, mailed_at = $2 FROM people p
                     WHERE p.id = r.person_id AND p.email_normalized = $1 AND r.petition_id = '${id}'`,
        };
      },
    },
    {
      kind: 'rsvp',
      table: 'rsvps',
      linkPrefix: '/rsvp/confirm/',
      pages: { confirmed: 'You are going', already: 'Already done' },
      undecided: `r.processed_round < r.request_round`,
      greeting: messages((m) => m.event.email.greeting),
      typed: { givenName: PHISHING, familyName: PHISHING_FAMILY, guests: 2 },
      target: async () => {
        const created = await http().post('/api/v1/admin/events').auth(organizerKey, { type: 'bearer' }).send(eventPayload());
        expect(created.status).toBe(201);
        const { id, slug } = created.body as { id: string; slug: string };
        return {
          path: `/api/v1/events/${slug}/rsvps`,
          payload: (email, overrides = {}) => rsvpPayload({ email, ...overrides }),
          records: `FROM rsvps r JOIN people p ON p.id = r.person_id WHERE p.email_normalized = $1 AND r.event_id = '${id}'`,
          lose: async (email) => {
            const person = await createPerson(platform.db, { email, confirmed: false });
            await platform.db.query(
              `INSERT INTO rsvps (event_id, person_id, email, given_name, language, created_at, updated_at)
               VALUES ($1, $2, $3, 'Zoé', 'fr', now() - interval '10 minutes', now() - interval '10 minutes')`,
              [id, person.id, email],
            );
          },
          backdate: `UPDATE rsvps r SET created_at = $2, updated_at = $2 FROM people p
                     WHERE p.id = r.person_id AND p.email_normalized = $1 AND r.event_id = '${id}'`,
        };
      },
    },
  ];

  describe.each(KINDS)('$kind', (kind) => {
    async function act(target: Target, email: string, overrides: Record<string, unknown> = {}): Promise<request.Response> {
      const res = await http().post(target.path).send(target.payload(email, overrides));
      expect(res.status).toBe(202);
      return res;
    }

    /** Requests and waits until the worker has decided it (mailed or not). */
    async function actAndDecide(target: Target, email: string): Promise<void> {
      await act(target, email);
      await waitUntil(async () => (await count(`${target.records} AND ${kind.undecided}`, [email])) === 0, 10_000, 'the request decided');
    }

    async function actAndConfirm(target: Target, email: string): Promise<ReceivedMail> {
      const before = sink.to(email).length;
      await act(target, email);
      const mails = await sink.waitFor(email, before + 1);
      const mail = mails[mails.length - 1];
      expect((await http().post(linkPath(mail)).type('form').send('')).text).toContain(kind.pages.confirmed);
      return mail;
    }

    it('a filled honeypot gets the same 202 and stores nothing', async () => {
      const target = await kind.target();
      const email = uniqueEmail('bot');
      const res = await act(target, email, { website: 'http://spam.example' });
      expect(res.text).toBe('{"status":"pending"}');
      await new Promise((r) => setTimeout(r, 500));
      expect(await count(target.records, [email])).toBe(0);
      expect(await count(`FROM people WHERE email_normalized = $1`, [email])).toBe(0);
      expect(sink.to(email)).toHaveLength(0);
    });

    it('answers byte-identical 202s for new, pending, confirmed, unsubscribed, suppressed and repeated addresses', async () => {
      const target = await kind.target();
      const pending = uniqueEmail('pending');
      await act(target, pending);
      await sink.waitFor(pending);
      const confirmed = uniqueEmail('confirmed');
      await actAndConfirm(target, confirmed);
      const unsubscribed = uniqueEmail('gone');
      await actAndConfirm(target, unsubscribed);
      await platform.db.query(
        `UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = now() WHERE person_id = (SELECT id FROM people WHERE email_normalized = $1)`,
        [unsubscribed],
      );
      const suppressed = uniqueEmail('suppressed');
      await platform.api.get(SuppressionRepository).add(suppressed, 'complaint');

      const answers = [];
      for (const email of [uniqueEmail('new'), pending, confirmed.toUpperCase(), unsubscribed, `  ${suppressed}  `, pending]) {
        const res = await http().post(target.path).send(target.payload(email));
        answers.push({ status: res.status, body: res.text, type: res.headers['content-type'], length: res.headers['content-length'] });
      }
      expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
      expect(answers[0]).toEqual({ status: 202, body: '{"status":"pending"}', type: 'application/json; charset=utf-8', length: '20' });
    });

    it('never mails a suppressed address and keeps nothing of it, but keeps an imported person it belongs to', async () => {
      const target = await kind.target();
      const stranger = uniqueEmail('erased');
      const typed = `Someone${Date.now()}`;
      await platform.api.get(SuppressionRepository).add(stranger, 'erasure');
      const imported = await createPerson(platform.db, { confirmed: false });
      await platform.db.query(`UPDATE people SET imported_at = now() WHERE id = $1`, [imported.id]);
      await platform.api.get(SuppressionRepository).add(imported.email, 'complaint');
      await act(target, stranger, { givenName: typed });
      await act(target, imported.email);

      // Both requests are written before their 202: once decided, neither leaves a record.
      await waitUntil(
        async () =>
          (await count(target.records, [stranger])) === 0 &&
          (await count(target.records, [imported.email])) === 0 &&
          (await count(`FROM people WHERE email_normalized = $1`, [stranger])) === 0,
        10_000,
        'the suppressed requests to leave nothing',
      );
      // Nothing typed with the stranger's request stays either (a sign-up keeps the address itself).
      expect(await count(`FROM ${kind.table} r WHERE r.given_name = $1`, [typed])).toBe(0);
      expect(await count(`FROM people WHERE id = $1`, [imported.id])).toBe(1);
      expect(sink.to(stranger)).toHaveLength(0);
      expect(sink.to(imported.email)).toHaveLength(0);
    });

    it.each(SUPPORTED_LANGUAGES)(
      'an email to an address not proven for this request carries nothing its requester typed, greeting neutrally (%s)',
      async (language) => {
        const target = await kind.target();
        // A new address, and a member's: the request is a stranger's either way until its link is used.
        const stranger = uniqueEmail(`phished-${language}`);
        const member = await createPerson(platform.db, { email: uniqueEmail(`member-${language}`), givenName: 'Amal', language });
        for (const email of [stranger, member.email]) await act(target, email, { ...kind.typed, language });
        for (const email of [stranger, member.email]) {
          const [mail] = await sink.waitFor(email);
          const parts = { subject: mail.parsed.subject ?? '', text: mail.parsed.text ?? '', html: String(mail.parsed.html) };
          for (const [part, content] of Object.entries(parts)) {
            for (const fragment of [...PHISHING_FRAGMENTS, 'Amal'])
              expect({ part, fragment, found: content.includes(fragment) }).toEqual({ part, fragment, found: false });
          }
          expect(parts.text.startsWith(`${kind.greeting[language]}\n`)).toBe(true);
          expect(parts.html).toContain(`<p>${kind.greeting[language]}</p>`);
        }
      },
    );

    it('sends at most CONFIRMATION_EMAILS_PER_DAY (3) links a day about one subject, whatever the repeats', async () => {
      const target = await kind.target();
      const email = uniqueEmail('repeater');
      for (let i = 0; i < 5; i++) await actAndDecide(target, email);
      await new Promise((r) => setTimeout(r, 500));
      expect(sink.to(email)).toHaveLength(3);
    });

    it('deciding a request again, or several times at once, sends one email', async () => {
      const target = await kind.target();
      const email = uniqueEmail('retry');
      await act(target, email);
      const [{ id }] = await platform.db.query(`SELECT r.id ${target.records}`, [email]);
      const worker = platform.worker!.get(ActionWorker);
      // The job races these, and they race each other.
      await Promise.all([1, 2, 3, 4, 5].map(() => worker.process(kind.kind, id)));
      await sink.waitFor(email);
      await worker.process(kind.kind, id);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(sink.to(email)).toHaveLength(1);
    });

    it('a request whose job was lost (Redis wiped) is decided by the reconciler, once', async () => {
      const target = await kind.target();
      const email = uniqueEmail('lost');
      await target.lose(email);
      const reconciler = platform.worker!.get(ActionsReconciler);
      await Promise.all([reconciler.runOnce(60), reconciler.runOnce(60)]);
      const [mail] = await sink.waitFor(email);
      expect(mail.parsed.html).toContain('<html lang="fr" dir="ltr">');
      await reconciler.runOnce(60);
      await new Promise((r) => setTimeout(r, 500));
      expect(sink.to(email)).toHaveLength(1);
      expect(await count(`${target.records} AND ${kind.undecided}`, [email])).toBe(0);
    });

    it('the link: GET shows a button and changes nothing; POST confirms once; a second POST is harmless', async () => {
      const target = await kind.target();
      const email = uniqueEmail('link');
      await act(target, email);
      const [mail] = await sink.waitFor(email);
      const path = linkPath(mail);
      expect(path.startsWith(kind.linkPrefix)).toBe(true);

      const page = await http().get(path);
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['cache-control']).toBe('no-store');
      // No action attribute: the form posts to the very URL that was opened.
      expect(page.text).toContain('<form method="post">');
      expect(await count(`FROM people WHERE email_normalized = $1 AND confirmed_at IS NOT NULL`, [email])).toBe(0);

      // Two clicks at once (a double tap, a scanner racing the person): one confirmation.
      const [first, second] = await Promise.all([http().post(path).type('form').send(''), http().post(path).type('form').send('')]);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect([first.text, second.text].filter((t) => t.includes(kind.pages.confirmed))).toHaveLength(1);
      expect([first.text, second.text].filter((t) => t.includes(kind.pages.already))).toHaveLength(1);
      expect((await http().post(path).type('form').send('')).text).toContain(kind.pages.already);
      expect((await http().get(path)).text).toContain(kind.pages.already);
      expect(await count(`FROM people WHERE email_normalized = $1 AND confirmed_at IS NOT NULL`, [email])).toBe(1);
    });

    it('answers unknown, malformed, expired and other kinds’ links with a page and no change', async () => {
      const unknown = await http()
        .post(`${kind.linkPrefix}${'A'.repeat(43)}`)
        .type('form')
        .send('');
      expect(unknown.status).toBe(404);
      expect(unknown.headers['content-type']).toContain('text/html');
      expect((await http().get(`${kind.linkPrefix}not-a-token`)).status).toBe(404);

      const target = await kind.target();
      const email = uniqueEmail('expired');
      await act(target, email);
      const [mail] = await sink.waitFor(email);
      const token = linkPath(mail).slice(kind.linkPrefix.length);
      // A token is scoped to its kind's purpose: another kind's link path does not know it.
      for (const other of KINDS.filter((k) => k !== kind)) expect((await http().get(`${other.linkPrefix}${token}`)).status).toBe(404);
      await platform.db.query(`UPDATE action_tokens SET expires_at = now() - interval '1 minute' WHERE person_id = $1`, [
        await personId(email),
      ]);
      const expired = await http().post(linkPath(mail)).type('form').send('');
      expect(expired.status).toBe(410);
      expect(await count(`FROM people WHERE email_normalized = $1 AND confirmed_at IS NOT NULL`, [email])).toBe(0);
    });

    it('erasure: nothing of the request names the person or keeps what they typed, and the address is never mailed again', async () => {
      const target = await kind.target();
      const email = uniqueEmail('erase');
      const givenName = `Erasable${Date.now()}`;
      const before = sink.to(email).length;
      await act(target, email, { givenName });
      const mails = await sink.waitFor(email, before + 1);
      await http()
        .post(linkPath(mails[mails.length - 1]))
        .type('form')
        .send('')
        .expect(200);
      const id = await personId(email);
      // An email the link led to (an RSVP's decision) is written with it: let it go out first,
      // or it may land after the count below is taken.
      await waitUntil(
        async () => (await count(`FROM email_messages WHERE person_id = $1 AND status IN ('pending', 'sending')`, [id])) === 0,
        10_000,
        'the emails the link led to',
      );
      await http().delete(`/api/v1/admin/people/${id}`).auth(organizerKey, { type: 'bearer' }).expect(204);

      expect(await count(`FROM ${kind.table} r WHERE r.person_id = $1`, [id])).toBe(0);
      expect(await count(`FROM ${kind.table} r WHERE r.given_name = $1`, [givenName])).toBe(0);
      const mailed = sink.to(email).length;
      await act(target, email);
      await waitUntil(
        async () => (await count(`FROM people WHERE email_normalized = $1`, [email])) === 0,
        10_000,
        'the new request dropped',
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(sink.to(email)).toHaveLength(mailed);
    });

    it('retention: a request never confirmed goes after the period with the person it made; a recent or confirmed one stays', async () => {
      const target = await kind.target();
      const [old, recent, oldConfirmed] = ['old', 'recent', 'old-confirmed'].map((tag) => uniqueEmail(tag));
      await actAndDecide(target, old);
      await actAndDecide(target, recent);
      await actAndConfirm(target, oldConfirmed);
      const past = new Date(Date.now() - 31 * DAY);
      for (const email of [old, oldConfirmed]) {
        await platform.db.query(target.backdate, [email, past]);
        await platform.db.query(`UPDATE people SET created_at = $2, updated_at = $2 WHERE email_normalized = $1`, [email, past]);
      }
      // A week later by the clock too: the old request's link token has expired.
      jest.spyOn(platform.worker!.get(Clock), 'now').mockReturnValue(new Date(Date.now() + 8 * DAY));

      const counts = await platform.worker!.get(RetentionService).purge();
      expect(counts[kind.table]).toBeGreaterThanOrEqual(1);
      expect(await count(target.records, [old])).toBe(0);
      expect(await count(`FROM people WHERE email_normalized = $1`, [old])).toBe(0);
      for (const email of [recent, oldConfirmed]) {
        expect(await count(target.records, [email])).toBe(1);
        expect(await count(`FROM people WHERE email_normalized = $1`, [email])).toBe(1);
      }
    });
  });
});
