import request from 'supertest';
import { Clock } from '../src/common/clock';
import { SUPPORTED_LANGUAGES } from '../src/common/languages';
import { messages } from '../src/messages/catalogue';
import { SignatureRemindersTask } from '../src/petitions/signature-reminders.task';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { createList, mailingPayload } from './factories/mailing.factory';
import { createOrganizer } from './factories/organizer.factory';
import { createPetition, signaturePayload } from './factories/petition.factory';
import { signupPayload, uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';
import { actionLink, ReceivedMail, SmtpSink } from './support/smtp-sink';

/** The given name of issue 19, finding 3, typed for someone else's address. */
const PHISHING = 'your account is locked. Reset it at http://evil.example/reset';
const FRAGMENTS = ['account is locked', 'evil.example'];

const partsOf = (mail: ReceivedMail): Record<string, string> => ({
  subject: mail.parsed.subject ?? '',
  text: mail.parsed.text ?? '',
  html: String(mail.parsed.html),
});
const expectNoPhishing = (mail: ReceivedMail): void => {
  for (const [part, content] of Object.entries(partsOf(mail))) {
    for (const fragment of FRAGMENTS)
      expect({ part, fragment, found: content.includes(fragment) }).toEqual({ part, fragment, found: false });
  }
};

/**
 * Issue 19, finding 3, beyond the confirmation emails (those are a shared case of
 * test/actions.e2e.test.ts): the signature reminder, the newsletter of an imported
 * subscriber, and the event emails that follow a used link, which may greet by name.
 */
describe('text a requester typed, in the emails the movement sends', () => {
  let platform: Platform;
  let sink: SmtpSink;
  let organizer: string;
  const http = () => request(platform.api.getHttpServer());

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url, MAIL_RATE_PER_SECOND: '0' });
    organizer = (await createOrganizer(platform.api, 'organizer')).apiKey;
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });
  afterEach(() => jest.restoreAllMocks());

  it.each(SUPPORTED_LANGUAGES)('the signature reminder greets neutrally and carries no typed text (%s)', async (language) => {
    const { slug } = await createPetition(platform.api);
    const email = uniqueEmail(`reminded-${language}`);
    const signed = await http()
      .post(`/api/v1/petitions/${slug}/signatures`)
      .send(signaturePayload({ email, givenName: PHISHING, comment: PHISHING, language }));
    expect(signed.status).toBe(202);
    await sink.waitFor(email);
    jest.spyOn(platform.worker!.get(Clock), 'now').mockReturnValue(new Date(Date.now() + 25 * 3_600_000));
    await platform.worker!.get(SignatureRemindersTask).runOnce();
    const [, reminder] = await sink.waitFor(email, 2);
    expect(reminder.parsed.subject).toBe(messages((m) => m.signature.reminder.subject)[language]);
    expectNoPhishing(reminder);
    expect(partsOf(reminder).text.startsWith(`${messages((m) => m.signature.reminder.greeting)[language]}\n`)).toBe(true);
  });

  it("a stranger's sign-up does not rename an imported subscriber: their newsletter greets them as the organizer typed", async () => {
    const list = await createList(platform.db, 'Imported readers');
    const email = uniqueEmail('imported');
    const imported = await http()
      .post(`/api/v1/admin/imports/people?list=${list.slug}&consent=confirmed`)
      .set('authorization', `Bearer ${organizer}`)
      .set('content-type', 'text/csv')
      .send(`email,givenName\n${email},Noor\n`);
    expect(imported.body).toMatchObject({ imported: 1 });

    expect(
      (
        await http()
          .post('/api/v1/signups')
          .send(signupPayload({ email, givenName: PHISHING }))
      ).status,
    ).toBe(202);
    const [confirmation] = await sink.waitFor(email);
    expectNoPhishing(confirmation);
    const [person] = await platform.db.query(`SELECT given_name FROM people WHERE email_normalized = $1`, [email]);
    expect(person.given_name).toBe('Noor');

    const created = await http()
      .post('/api/v1/admin/mailings')
      .set('authorization', `Bearer ${organizer}`)
      .send(mailingPayload([list.slug], { content: { en: { subject: 'News for {{givenName}}', html: '<p>Hello {{givenName}},</p>' } } }));
    expect(created.status).toBe(201);
    expect((await http().post(`/api/v1/admin/mailings/${created.body.id}/send`).set('authorization', `Bearer ${organizer}`)).status).toBe(
      200,
    );
    const [, newsletter] = await sink.waitFor(email, 2, 30_000);
    expect(newsletter.parsed.subject).toBe('News for Noor');
    expect(newsletter.parsed.text).toContain('Hello Noor,');
    expectNoPhishing(newsletter);
  });

  it.each([
    ['fr', 'Amal', 'Bonjour Amal,'],
    ['ar', 'عبد الرحمن', 'مرحبًا عبد الرحمن،'],
    ['fa', 'مهر\u200cناز', 'سلام مهر\u200cناز،'],
    ['en', '✊🏽 Ana 👩‍👩‍👧', 'Hello ✊🏽 Ana 👩‍👩‍👧,'],
  ])(
    'an event decision follows the link the address holder used: it greets by the name typed with that RSVP, unchanged (%s)',
    async (language, givenName, greeting) => {
      const event = await http().post('/api/v1/admin/events').set('authorization', `Bearer ${organizer}`).send(eventPayload());
      expect(event.status).toBe(201);
      const email = uniqueEmail('attendee');
      await http().post(`/api/v1/events/${event.body.slug}/rsvps`).send(rsvpPayload({ email, givenName, language })).expect(202);
      const [confirmation] = await sink.waitFor(email);
      expect(confirmation.parsed.text).not.toContain(givenName);
      expect(
        (
          await http()
            .post(new URL(actionLink(confirmation)).pathname)
            .type('form')
            .send('')
        ).status,
      ).toBe(200);
      await waitUntil(() => sink.to(email).length === 2, 15_000, 'the decision email');
      const decision = sink.to(email)[1];
      expect(decision.parsed.text?.startsWith(`${greeting}\n`)).toBe(true);
      expect(String(decision.parsed.html)).toContain(givenName);
    },
  );
});
