import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { normalizeEmail } from '../src/common/crypto.util';
import { SuppressionRepository } from '../src/mail/suppression.repository';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { createOrganizer } from './factories/organizer.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { signupPayload } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { actionLink, SmtpSink } from './support/smtp-sink';

/**
 * One mailbox, one person (issue 19, finding 7). `\u212Aate@...` (KELVIN SIGN) was stored as
 * typed but lower-cased to `kate@...`: the confirmation went to one mailbox while the person
 * record, and the suppression hash, were the real kate's. Addresses are now compared, stored
 * and mailed in one form, and one whose lower-casing turns a character into ASCII is refused.
 */
describe('email addresses: one canonical form', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let petitionSlug: string;
  let eventSlug: string;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url });
    const organizer = (await createOrganizer(platform.api, 'organizer')).apiKey;
    petitionSlug = (await createPetition(platform.api)).slug;
    const event = await http().post('/api/v1/admin/events').set('authorization', `Bearer ${organizer}`).send(eventPayload());
    eventSlug = event.body.slug as string;
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  const FORMS: Array<[string, () => string, (email: string) => Record<string, unknown>]> = [
    ['a sign-up', () => '/api/v1/signups', (email) => signupPayload({ email })],
    ['a signature', () => `/api/v1/petitions/${petitionSlug}/signatures`, (email) => signaturePayload({ email })],
    ['an RSVP', () => `/api/v1/events/${eventSlug}/rsvps`, (email) => rsvpPayload({ email })],
  ];
  const STAND_INS: Array<[string, (id: string) => string]> = [
    ['KELVIN SIGN', (id) => `\u212Aate-${id}@rt.example`],
    ['a fullwidth k', (id) => `\uFF4Bate-${id}@rt.example`],
    ['the long s', (id) => `\u017Fam-${id}@rt.example`],
    ['a ligature', (id) => `\uFB01nn-${id}@rt.example`],
    ['KELVIN SIGN in the domain', (id) => `kate-${id}@\u212Art.example`],
  ];

  it.each(FORMS.flatMap(([form, path, body]) => STAND_INS.map(([what, address]) => [form, what, path, body, address] as const)))(
    '%s with %s is refused with a 400 naming the email',
    async (_form, _what, path, body, address) => {
      const res = await http()
        .post(path())
        .send(body(address(randomUUID().slice(0, 8))));
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([{ field: 'email', message: expect.stringContaining('Kelvin sign') as string }]);
    },
  );

  it("a KELVIN SIGN address cannot reach the real kate's person record or her mailbox", async () => {
    const id = randomUUID().slice(0, 8);
    const kate = `kate-${id}@rt.example`;
    expect(
      (
        await http()
          .post('/api/v1/signups')
          .send(signupPayload({ email: kate, givenName: 'Kate' }))
      ).status,
    ).toBe(202);
    const [mail] = await sink.waitFor(kate);
    expect((await http().post(new URL(actionLink(mail)).pathname)).status).toBe(200);

    const attack = await http()
      .post('/api/v1/signups')
      .send(signupPayload({ email: `\u212Aate-${id}@rt.example`, givenName: 'Not Kate' }));
    expect(attack.status).toBe(400);
    await new Promise((r) => setTimeout(r, 1_000));
    const people: Array<{ email: string; given_name: string }> = await platform.db.query(
      `SELECT email, given_name FROM people WHERE email_normalized = $1`,
      [kate],
    );
    expect(people).toEqual([{ email: kate, given_name: 'Kate' }]);
    expect(sink.messages.filter((m) => m.to.some((to) => to.endsWith(`-${id}@rt.example`) || to.includes(`\u212A`)))).toHaveLength(1);
  });

  it('stores, compares and mails one Unicode form: a decomposed é is the address typed with é', async () => {
    const id = randomUUID().slice(0, 8);
    const composed = `\u00e9lodie-${id}@example.org`;
    const decomposed = `e\u0301lodie-${id}@example.org`;
    expect(
      (
        await http()
          .post('/api/v1/signups')
          .send(signupPayload({ email: decomposed }))
      ).status,
    ).toBe(202);
    const [first] = await sink.waitFor(composed);
    expect(first.to).toEqual([composed]);
    expect(
      (
        await http()
          .post('/api/v1/signups')
          .send(signupPayload({ email: `\u00c9LODIE-${id}@example.org` }))
      ).status,
    ).toBe(202);
    await sink.waitFor(composed, 2);
    expect(sink.messages.filter((m) => m.to.includes(decomposed))).toHaveLength(0);
    const people: Array<{ email: string; email_normalized: string }> = await platform.db.query(
      `SELECT email, email_normalized FROM people WHERE email_normalized IN ($1, $2)`,
      [composed, decomposed],
    );
    // One person; its address is the newest spelling of an unconfirmed person, in NFC too.
    expect(people).toEqual([{ email: `\u00c9LODIE-${id}@example.org`, email_normalized: composed }]);
  });

  it('suppresses one form for every spelling of it, and ASCII addresses hash as before', async () => {
    const suppressions = platform.api.get(SuppressionRepository);
    const id = randomUUID().slice(0, 8);
    await suppressions.add(`e\u0301lodie-${id}@example.org`, 'manual');
    expect(await suppressions.isSuppressed(`\u00c9lodie-${id}@Example.org`)).toBe(true);
    expect(suppressions.hashOf(' Kate@RT.example ')).toBe(suppressions.hashOf('kate@rt.example'));
    expect(normalizeEmail(' Kate@RT.example ')).toBe('kate@rt.example');
  });
});
