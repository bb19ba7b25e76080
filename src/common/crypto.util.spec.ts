import { keyedHash, normalizeEmail, randomToken } from './crypto.util';

describe('crypto utilities', () => {
  it('normalizes addresses: trimmed, case-insensitive', () => {
    expect(normalizeEmail('  Amal@Example.ORG ')).toBe('amal@example.org');
  });

  it('keys hashes by secret and purpose', () => {
    const a = keyedHash('secret-1', 'ip', '203.0.113.7');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(keyedHash('secret-2', 'ip', '203.0.113.7')).not.toBe(a);
    expect(keyedHash('secret-1', 'suppression', '203.0.113.7')).not.toBe(a);
  });

  it('makes 256-bit URL-safe tokens', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken()).not.toBe(token);
  });
});
