import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
// mailauth ships no types; its dkimVerify(input, {resolver}) is all this test needs.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { dkimVerify } = require('mailauth/lib/dkim/verify') as {
  dkimVerify: (
    input: Buffer,
    options: { resolver: (name: string, type: string) => Promise<string[][]> },
  ) => Promise<{ results: Array<{ status: { result: string; comment?: string | false }; signingDomain: string; selector: string }> }>;
};
import { createOrganizer } from './factories/organizer.factory';
import { createList, createSubscriber, mailingPayload } from './factories/mailing.factory';
import { Platform, startPlatform } from './support/platform';
import { waitUntil } from './support/processes';
import { SmtpSink } from './support/smtp-sink';

describe('newsletter DKIM signature (signed by the newsletter builder, verified by mailauth)', () => {
  let sink: SmtpSink;
  let platform: Platform;
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const dnsRecord = `v=DKIM1; k=rsa; p=${publicKey.export({ type: 'spki', format: 'der' }).toString('base64')}`;
  const resolver = (name: string, type: string): Promise<string[][]> => {
    if (name !== 'news2026._domainkey.movement.test' || type !== 'TXT') {
      return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    }
    // TXT strings are at most 255 characters each.
    return Promise.resolve([dnsRecord.match(/.{1,255}/g)!]);
  };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    platform = await startPlatform({
      SMTP_URL: sink.url,
      DKIM_DOMAIN: 'movement.test',
      DKIM_SELECTOR: 'news2026',
      DKIM_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      MAIL_RATE_PER_SECOND: '0',
    });
  });
  afterAll(async () => {
    await platform.close();
    await sink.stop();
  });

  it('signs every newsletter; the signature verifies and h= covers both List-Unsubscribe headers', async () => {
    const key = (await createOrganizer(platform.api, 'organizer')).apiKey;
    const list = await createList(platform.db, 'Signed news');
    const person = await createSubscriber(platform.db, { givenName: 'Dana', language: 'ar', lists: [{ id: list.id }] });
    const created = await request(platform.api.getHttpServer())
      .post('/api/v1/admin/mailings')
      .set('authorization', `Bearer ${key}`)
      .send(mailingPayload([list.slug], { content: { ar: { subject: 'مرحبًا {{givenName}}', html: '<p>نص</p>' } }, defaultLanguage: 'ar' }));
    expect(created.status).toBe(201);
    await request(platform.api.getHttpServer())
      .post(`/api/v1/admin/mailings/${created.body.id}/send`)
      .set('authorization', `Bearer ${key}`);
    await waitUntil(() => sink.to(person.email).length > 0, 20_000, 'the signed newsletter');

    const [mail] = sink.to(person.email);
    const verified = await dkimVerify(mail.raw, { resolver });
    expect(verified.results).toHaveLength(1);
    expect(verified.results[0].status.result).toBe('pass');
    expect(verified.results[0].signingDomain).toBe('movement.test');

    const headerBlock = mail.raw
      .toString()
      .split(/\r?\n\r?\n/)[0]
      .replace(/\r?\n[ \t]+/g, ' ');
    const dkimLine = headerBlock.split(/\r?\n/).find((line) => /^dkim-signature:/i.test(line)) ?? '';
    const h = /[;\s]h=([^;]+)/.exec(dkimLine)?.[1] ?? '';
    const signed = h.split(':').map((name) => name.trim().toLowerCase());
    expect(signed).toEqual(
      expect.arrayContaining(['list-unsubscribe', 'list-unsubscribe-post', 'list-id', 'from', 'subject', 'message-id']),
    );

    // Tampering with the one-click header breaks the signature: it really is covered.
    const tampered = Buffer.from(
      mail.raw.toString().replace('List-Unsubscribe-Post: List-Unsubscribe=One-Click', 'List-Unsubscribe-Post: List-Unsubscribe=One-Clack'),
    );
    expect(tampered.equals(mail.raw)).toBe(false);
    expect((await dkimVerify(tampered, { resolver })).results[0].status.result).not.toBe('pass');
  });
});
