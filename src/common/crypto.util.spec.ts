import { keyedHash, normalizeEmail, randomToken } from './crypto.util';

describe('crypto utilities', () => {
  it('normalizes addresses: trimmed, case-insensitive', () => {
    expect(normalizeEmail('  Amal@Example.ORG ')).toBe('amal@example.org');
  });

  it('keeps the canonical form of every ASCII address as it was (trim, lower-case), and so its suppression hash', () => {
    // Printable ASCII, spaces around: the form (and hash) suppression entries were stored under.
    for (let i = 0; i < 2_000; i++) {
      const chars = Array.from({ length: 1 + (i % 40) }, (_, j) => String.fromCharCode(0x21 + ((i * 31 + j * 17) % 94)));
      const typed = ` ${chars.join('')}@Example.ORG\t`;
      expect(normalizeEmail(typed)).toBe(typed.trim().toLowerCase());
    }
    // Computed with the normalisation before issue 19 (trim().toLowerCase()): existing entries keep matching.
    expect(keyedHash('test-secret-0123456789abcdef0123456789abcdef', 'suppression', normalizeEmail(' Kate.Rivera+News@RT.Example '))).toBe(
      'd2a988a9f2b8413a6abff5f97fe19cf14ee74137a5f85e6d957697cc7733e4b0',
    );
  });

  it('compares addresses beyond ASCII in one Unicode form (NFC), lower-cased', () => {
    expect(normalizeEmail('E\u0301lodie@example.org')).toBe('\u00e9lodie@example.org');
    expect(normalizeEmail('\u00c9LODIE@EXAMPLE.org')).toBe('\u00e9lodie@example.org');
    expect(normalizeEmail('أمل@example.org')).toBe('أمل@example.org');
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
