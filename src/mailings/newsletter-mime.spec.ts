import { generateKeyPairSync } from 'node:crypto';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { DkimSigner, relaxedBody } from '../mail/dkim-signer';
import { encodedFrom, encodeSubject, PreparedNewsletter, quotedPrintable, wholeNewsletter } from './newsletter-mime';
import { compileNewsletter, fillPieces, PersonalView, renderNewsletter, slotSafe } from './newsletter-template';
// mailauth ships no types; its dkimVerify(input, {resolver}) is all this spec needs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dkimVerify } = require('mailauth/lib/dkim/verify') as {
  dkimVerify: (
    input: Buffer,
    options: { resolver: (name: string, type: string) => Promise<string[][]> },
  ) => Promise<{ results: Array<{ status: { result: string } }> }>;
};

const personal: PersonalView = {
  givenName: 'Sam',
  unsubscribeUrl: 'https://act.example.org/u/abc_DEF-123',
  preferencesUrl: 'https://act.example.org/preferences/ghi',
};
const shared = { listName: 'News', mailingName: 'November' };
const envelope = {
  to: 'reader@example.org',
  messageId: '<d1@movement.test>',
  listUnsubscribeUrl: personal.unsubscribeUrl,
  listId: '"News" <news.movement.test>',
};
const from = 'Movement <news@movement.test>';

/** The same message as nodemailer builds it from the rendered parts (what the newsletter path sent before). */
async function viaNodemailer(rendered: { subject: string; html: string; text: string }): Promise<Buffer> {
  const info = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail({
    from,
    to: envelope.to,
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    messageId: envelope.messageId,
  });
  return info.message as Buffer;
}

const VARIANTS = [
  { subject: 'News for {{givenName}}', html: '<p>Hello {{givenName}},</p><p>' + 'Lorem ipsum dolor sit amet. '.repeat(40) + '</p>' },
  { subject: 'مرحبًا {{givenName}}', html: '<p>مرحبا {{givenName}}</p><p>' + 'نص طويل للنشرة '.repeat(50) + '</p>' },
  { subject: 'Hi', html: '<p>a  b&nbsp; c\t\td =3D x</p>\n\n<p>{{#givenName}}Dear {{givenName}}{{/givenName}}</p>  ' },
  { subject: '{{givenName}}', html: '<p>{{givenName}}</p>', text: 'Text of {{mailingName}} for {{givenName}}:\n {{unsubscribeUrl}}  \n' },
  { subject: 'x'.repeat(120) + ' ' + 'y '.repeat(40), html: `<p>${'é'.repeat(30)} ${'w'.repeat(200)}</p>` },
];
const NAMES = ['Sam', 'Nour Haddad', 'سارا', 'Zoë', '<b>"A&amp;B"</b>', '=?UTF-8?B?VVJHRU5U?=', 'x'.repeat(90), 'Ünïcödé 🙂 👩‍👩‍👧'];

describe('newsletter MIME built once per variant', () => {
  it('quoted-printable: short lines, nothing a DKIM canonicalisation would change, decodes back', async () => {
    const text = 'a  b \t c =\n' + 'é'.repeat(100) + '   \r\nend ';
    const encoded = quotedPrintable(text);
    for (const line of encoded.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    expect(encoded).not.toMatch(/[ \t]{2}|[ \t]\r\n|[ \t]$/);
    const parsed = await simpleParser(
      `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${encoded}`,
    );
    expect(parsed.text).toBe(text.replace(/\r\n/g, '\n'));
  });

  it('subjects: ASCII as is (folded when long), anything else or an encoded-word look-alike encoded, read back as typed', async () => {
    for (const subject of ['Plain news', 'a '.repeat(60).trim(), 'مرحبًا سارا', 'Hi =?UTF-8?B?VVJHRU5U?=', '🙂'.repeat(30)]) {
      const value = encodeSubject(subject);
      for (const line of `Subject: ${value}`.split('\r\n')) expect(line.length).toBeLessThanOrEqual(78);
      const parsed = await simpleParser(`Subject: ${value}\r\n\r\nx`);
      expect(parsed.subject).toBe(subject);
    }
    expect(encodeSubject('Hi =?UTF-8?B?VVJHRU5U?=')).not.toContain('=?UTF-8?B?VVJHRU5U?=');
  });

  it.each(VARIANTS.flatMap((variant) => ['en', 'ar'].map((language) => [variant, language] as const)))(
    'reads the same as the message nodemailer builds from the rendered parts (%#)',
    async (variant, language) => {
      const compiled = compileNewsletter(variant, language, shared);
      expect(compiled).not.toBeNull();
      const prepared = new PreparedNewsletter(compiled!, encodedFrom(from), null);
      for (const givenName of NAMES) {
        const view = { ...personal, givenName };
        const rendered = renderNewsletter(variant, language, { ...shared, ...view });
        const ours = await simpleParser(await prepared.build(view, envelope));
        const theirs = await simpleParser(await viaNodemailer(rendered));
        // As typed, always: nodemailer lets an encoded word through (a name typed as
        // "=?UTF-8?B?...?=" would be shown decoded), the builder never does.
        expect(ours.subject).toBe(rendered.subject);
        if (slotSafe(givenName)) {
          expect(ours.text).toBe(theirs.text);
          expect(ours.html).toBe(theirs.html);
        }
        expect(ours.from?.text).toBe(theirs.from?.text);
        expect(ours.to).toEqual(theirs.to);
        expect(ours.messageId).toBe(theirs.messageId);
        expect(ours.headerLines.map((h) => h.line)).toEqual(
          expect.arrayContaining([
            `List-Unsubscribe: <${personal.unsubscribeUrl}>`,
            'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
            `List-ID: ${envelope.listId}`,
          ]),
        );
      }
    },
  );

  it('fills the markers exactly as a whole render would, for every value the fast path takes', () => {
    for (const variant of VARIANTS) {
      const compiled = compileNewsletter(variant, 'fr', shared)!;
      for (const givenName of NAMES.filter(slotSafe)) {
        const view = { ...personal, givenName };
        const rendered = renderNewsletter(variant, 'fr', { ...shared, ...view });
        expect(fillPieces(compiled.text, view)).toBe(rendered.text);
        expect(
          fillPieces(compiled.subject, view)
            .replace(/[\r\n\u2028\u2029]+/g, ' ')
            .trim(),
        ).toBe(rendered.subject);
      }
    }
  });

  it('does not compile what only a whole render gets right', () => {
    expect(compileNewsletter({ subject: 's', html: '<a href="https://x.test">{{givenName}}</a>' }, 'en', shared)).toBeNull();
    expect(compileNewsletter({ subject: 's\uE000', html: 'x' }, 'en', shared)).toBeNull();
    expect(slotSafe('a  b')).toBe(false);
    expect(slotSafe('a\nBcc: x@y')).toBe(false);
    expect(slotSafe('Nour Haddad')).toBe(true);
  });

  it('signs with DKIM: the signature verifies, the body is canonical as written, both List-Unsubscribe fields are covered', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const record = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
    const resolver = (name: string): Promise<string[][]> =>
      name === 'nl._domainkey.movement.test' ? Promise.resolve([record.match(/.{1,255}/g)!]) : Promise.reject(new Error('ENOTFOUND'));
    const signer = DkimSigner.fromConfig({
      DKIM_DOMAIN: 'movement.test',
      DKIM_SELECTOR: 'nl',
      DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    })!;
    for (const [variant, language] of [
      [VARIANTS[0], 'en'],
      [VARIANTS[1], 'ar'],
      [VARIANTS[2], 'en'],
    ] as const) {
      const prepared = new PreparedNewsletter(compileNewsletter(variant, language, shared)!, encodedFrom(from), signer);
      const raw = await prepared.build(personal, envelope);
      const verified = await dkimVerify(raw, { resolver });
      expect(verified.results[0].status.result).toBe('pass');
      const body = raw.subarray(raw.indexOf('\r\n\r\n') + 4);
      expect(relaxedBody(body).equals(body)).toBe(true);
      const dkimField = raw
        .toString()
        .split('\r\n\r\n')[0]
        .replace(/\r\n[ \t]+/g, ' ')
        .split('\r\n')[0];
      expect(dkimField).toMatch(/h=[^;]*list-unsubscribe:list-unsubscribe-post/);
      const tampered = Buffer.from(raw.toString().replace('One-Click', 'One-Clack'));
      expect((await dkimVerify(tampered, { resolver })).results[0].status.result).not.toBe('pass');
    }
    // A message rendered whole (a name the fast path does not take) is signed the same way.
    const whole = new PreparedNewsletter(
      wholeNewsletter(renderNewsletter(VARIANTS[0], 'en', { ...shared, ...personal, givenName: 'a  b' })),
      encodedFrom(from),
      signer,
    );
    expect((await dkimVerify(await whole.build(personal, envelope), { resolver })).results[0].status.result).toBe('pass');
  });
});
