import request from 'supertest';
import { eventPayload, rsvpPayload } from './factories/event.factory';
import { createList, createSubscriber, mailingPayload } from './factories/mailing.factory';
import { createOrganizer } from './factories/organizer.factory';
import { uniqueEmail } from './factories/signup.factory';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';
import { ReceivedMail, SmtpSink } from './support/smtp-sink';

// "URGENT: your account is suspended" as an RFC 2047 encoded-word (issue 19, finding 4).
const ENCODED_WORD = '=?UTF-8?B?VVJHRU5UOiB5b3VyIGFjY291bnQgaXMgc3VzcGVuZGVk?=';

/** The raw Subject line as it left, unfolded. */
function rawSubject(mail: ReceivedMail): string {
  const head = mail.raw
    .toString('utf8')
    .split(/\r?\n\r?\n/)[0]
    .replace(/\r?\n[ \t]+/g, ' ');
  return (head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith('subject:')) ?? '').slice('subject:'.length).trim();
}

/**
 * Text people type reaches subjects (a supporter's name in a newsletter, an organizer's
 * event title in its emails). Parsed as a client parses it (mailparser, over real SMTP),
 * an encoded-word in that text is shown as the characters typed, never decoded.
 */
describe('email headers hold typed text as typed', () => {
  let sink: SmtpSink;
  let platform: Platform;
  let organizer: string;
  const http = () => request(platform.api.getHttpServer());
  const asOrganizer = (req: request.Test) => req.set('authorization', `Bearer ${organizer}`);

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({ SMTP_URL: sink.url, MAIL_RATE_PER_SECOND: '0' });
    organizer = (await createOrganizer(platform.api, 'organizer')).apiKey;
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  it('a supporter named with an encoded-word: the newsletter subject "Hi {{givenName}}" shows it literally', async () => {
    const list = await createList(platform.db, 'Weekly');
    const reader = await createSubscriber(platform.db, { givenName: ENCODED_WORD, lists: [{ id: list.id }] });
    const created = await asOrganizer(http().post('/api/v1/admin/mailings')).send(
      mailingPayload([list.slug], { content: { en: { subject: 'Hi {{givenName}}', html: '<p>Hello {{givenName}}</p>' } } }),
    );
    expect(created.status).toBe(201);
    expect((await asOrganizer(http().post(`/api/v1/admin/mailings/${created.body.id as string}/send`))).status).toBe(200);
    const [mail] = await sink.waitFor(reader.email, 1, 20_000);
    expect(mail.parsed.subject).toBe(`Hi ${ENCODED_WORD}`);
    expect(mail.parsed.subject).not.toContain('URGENT');
    expect(rawSubject(mail)).not.toContain(ENCODED_WORD);
  });

  it('an event titled with an encoded-word: the RSVP confirmation subject shows it literally', async () => {
    const title = `Assembly ${ENCODED_WORD}`;
    const event = await asOrganizer(http().post('/api/v1/admin/events')).send(eventPayload({ title }));
    expect(event.status).toBe(201);
    const email = uniqueEmail('header');
    expect(
      (
        await http()
          .post(`/api/v1/events/${event.body.slug as string}/rsvps`)
          .send(rsvpPayload({ email }))
      ).status,
    ).toBe(202);
    const [mail] = await sink.waitFor(email, 1, 20_000);
    expect(mail.parsed.subject).toBe(`Confirm your place at ${title}`);
    expect(rawSubject(mail)).not.toContain(ENCODED_WORD);
  });

  it('subjects without an encoded-word go out as before', async () => {
    const list = await createList(platform.db, 'Plain');
    const reader = await createSubscriber(platform.db, { givenName: 'Sam', lists: [{ id: list.id }] });
    const created = await asOrganizer(http().post('/api/v1/admin/mailings')).send(mailingPayload([list.slug]));
    await asOrganizer(http().post(`/api/v1/admin/mailings/${created.body.id as string}/send`));
    await waitUntil(() => sink.to(reader.email).length > 0, 20_000, 'the plain newsletter');
    const [mail] = sink.to(reader.email);
    expect(rawSubject(mail)).toBe('News for Sam');
    expect(mail.parsed.subject).toBe('News for Sam');
  });
});
