import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { encodedWords, headerText } from './header-text';

/** What a client reads: nodemailer builds the message as MailerService does, mailparser decodes it. */
async function asReceived(subject: string) {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const info = (await transport.sendMail({
    from: 'Movement <hello@movement.test>',
    to: 'reader@example.org',
    subject,
    text: 'x',
  })) as { message: Buffer };
  return simpleParser(info.message);
}

// Issue 19, finding 4: "URGENT: your account is suspended", base64 in an encoded-word.
const ATTACK = '=?UTF-8?B?VVJHRU5UOiB5b3VyIGFjY291bnQgaXMgc3VzcGVuZGVk?=';

describe('headerText', () => {
  it('is needed: nodemailer passes a valid encoded-word through and the client decodes it', async () => {
    expect((await asReceived(`Hi ${ATTACK}`)).subject).toBe('Hi URGENT: your account is suspended');
  });

  it.each([
    ['an encoded-word as a name', `Hi ${ATTACK}`],
    ['a Q encoded-word', 'Hi =?utf-8?Q?Reset_at_evil.example?='],
    ['an encoded-word spanning a space', 'Hi =?utf-8?Q?a b?= there'],
    ['an encoded-word beside Arabic', `مرحبا ${ATTACK}`],
    ['a lone =?', 'Sale =? maybe'],
    ['a long subject', `${'News for everyone '.repeat(12)}${ATTACK} ✊🏽 👩‍👩‍👧`],
  ])('leaves %s to be shown as typed', async (_what, subject) => {
    const mail = await asReceived(headerText(subject));
    expect(mail.subject).toBe(subject);
  });

  it('leaves text without =? as it was, for nodemailer to encode as before', () => {
    expect(headerText('News for Sam')).toBe('News for Sam');
    expect(headerText('أخبار إلى أمل')).toBe('أخبار إلى أمل');
  });

  it('writes encoded-words of at most 75 characters, whole characters each', () => {
    const words = encodedWords('😀'.repeat(25) + 'a'.repeat(30)).split(' ');
    for (const word of words) expect(word.length).toBeLessThanOrEqual(75);
    const decoded = words.map((w) => Buffer.from(w.slice('=?UTF-8?B?'.length, -2), 'base64').toString('utf8')).join('');
    expect(decoded).toBe('😀'.repeat(25) + 'a'.repeat(30));
    expect(decoded).not.toContain('\uFFFD');
  });
});
