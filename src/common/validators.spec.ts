import { canonicalEmailInput, hasAsciiStandIn, isPlainEmail } from './validators';

describe('email addresses', () => {
  it.each([
    ['KELVIN SIGN', '\u212Aate@rt.example'],
    ['İ (lower-cased to i and a dot)', '\u0130ris@rt.example'],
    ['a fullwidth letter', '\uFF4Bate@rt.example'],
    ['a ligature', '\uFB01nn@rt.example'],
    ['the long s', '\u017Fam@rt.example'],
    ['a fullwidth digit', 'kate\uFF11@rt.example'],
    ['KELVIN SIGN in the domain', 'kate@\u212Art.example'],
  ])('refuses %s, which stands for ASCII', (_what, address) => {
    expect(hasAsciiStandIn(address)).toBe(true);
    expect(isPlainEmail(address)).toBe(false);
    // Not turned into the ASCII address by NFC on the way in (KELVIN SIGN is canonically K).
    expect(isPlainEmail(canonicalEmailInput(address))).toBe(false);
  });

  it.each([
    ['ASCII', 'Kate.Rivera+news@rt.example'],
    ['Arabic', 'أمل@مثال.example'],
    ['Persian', 'شیرین@example.org'],
    ['accented Latin, upper case', '\u00c9lodie@example.org'],
    ['German sharp s', 'stra\u00dfe@example.org'],
    ['Greek', '\u039a\u03b1\u03c4\u03b5@example.org'],
  ])('accepts %s', (_what, address) => {
    expect(hasAsciiStandIn(address)).toBe(false);
    expect(isPlainEmail(canonicalEmailInput(address))).toBe(true);
  });

  it('takes an address in one Unicode form: a decomposed accent becomes the precomposed letter', () => {
    expect(canonicalEmailInput(' e\u0301lodie@example.org ')).toBe('\u00e9lodie@example.org');
  });
});
