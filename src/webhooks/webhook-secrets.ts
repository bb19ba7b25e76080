import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Webhook signing secrets. A secret must be readable to sign (unlike an API key, which is
 * only compared), so it is stored encrypted: AES-256-GCM under a key derived from
 * APP_SECRET with HKDF, domain-separated from every other use of APP_SECRET. A database dump
 * alone does not give an attacker the power to forge events.
 */
export class WebhookSecrets {
  private readonly key: Buffer;

  constructor(appSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', appSecret, 'campaign-platform', 'webhook-signing-secrets v1', 32));
  }

  /** A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
  static generate(): string {
    return `whsec_${randomBytes(32).toString('base64')}`;
  }

  encrypt(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url');
  }

  /** Throws when the ciphertext was altered or APP_SECRET changed (the webhook must then be created again). */
  decrypt(stored: string): string {
    const raw = Buffer.from(stored, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
