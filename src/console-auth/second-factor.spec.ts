import { decryptSecret, encryptSecret, newRecoveryCodes, newTotpSecret, normalizeRecoveryCode, totpCode, totpStep } from './second-factor';

describe('second factors', () => {
  it('accepts the current TOTP code (and one step either side), not others', () => {
    const secret = newTotpSecret();
    const now = Date.UTC(2026, 0, 1, 12, 0, 10);
    const step = Math.floor(now / 30_000);
    expect(totpStep(secret, totpCode(secret, now), now)).toBe(step);
    expect(totpStep(secret, totpCode(secret, now - 30_000), now)).toBe(step - 1);
    expect(totpStep(secret, totpCode(secret, now - 90_000), now)).toBeNull();
    expect(totpStep(secret, 'abcdef', now)).toBeNull();
  });

  it('keeps the TOTP secret encrypted, and refuses a tampered one', () => {
    const secret = newTotpSecret();
    const stored = encryptSecret('k'.repeat(40), secret);
    expect(stored).not.toContain(secret);
    expect(decryptSecret('k'.repeat(40), stored)).toBe(secret);
    expect(() => decryptSecret('j'.repeat(40), stored)).toThrow();
  });

  it('makes ten distinct recovery codes, read whatever the case and dashes', () => {
    const codes = newRecoveryCodes();
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z0-9]{5}-[A-Z0-9]{5}$/);
    expect(normalizeRecoveryCode(` ${codes[0].toLowerCase().replace('-', ' ')} `)).toBe(codes[0].replace('-', ''));
    expect(normalizeRecoveryCode('123456')).toBeNull();
  });
});
