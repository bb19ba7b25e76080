import { Webhook } from 'standardwebhooks';
import { WebhookSecrets } from './webhook-secrets';

describe('webhook secrets', () => {
  const secrets = new WebhookSecrets('test-secret-0123456789abcdef0123456789abcdef');

  it('makes Standard Webhooks secrets that the library accepts, and round-trips them encrypted', () => {
    const secret = WebhookSecrets.generate();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const stored = secrets.encrypt(secret);
    expect(stored).not.toContain(secret.slice(6, 20));
    expect(secrets.decrypt(stored)).toBe(secret);
    const wh = new Webhook(secret);
    const body = JSON.stringify({ type: 'webhook.test' });
    const signature = wh.sign('msg_1', new Date(), body);
    expect(
      wh.verify(body, {
        'webhook-id': 'msg_1',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': signature,
      }),
    ).toEqual({
      type: 'webhook.test',
    });
  });

  it('refuses a tampered ciphertext or another APP_SECRET', () => {
    const stored = secrets.encrypt(WebhookSecrets.generate());
    const tampered = Buffer.from(stored, 'base64url');
    tampered[tampered.length - 1] ^= 1;
    expect(() => secrets.decrypt(tampered.toString('base64url'))).toThrow();
    expect(() => new WebhookSecrets('another-secret-0123456789abcdef0123456789').decrypt(stored)).toThrow();
  });
});
