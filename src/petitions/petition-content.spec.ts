import { parseAcceptLanguage } from '../common/languages';
import { chooseLanguage, publicName } from './petition-content';

describe('petition content language', () => {
  it('prefers ?lang=, then Accept-Language, then the petition’s own', () => {
    expect(chooseLanguage('en', ['ar', 'fr'], 'ar', 'fr')).toBe('ar');
    expect(chooseLanguage('en', ['ar', 'fr'], undefined, 'de, fr-CA;q=0.8, ar;q=0.5')).toBe('fr');
    expect(chooseLanguage('en', ['ar'], 'fa', 'de')).toBe('en');
    expect(chooseLanguage('en', ['ar'], 'AR-eg', undefined)).toBe('ar');
  });

  it('orders Accept-Language by q and drops junk', () => {
    expect(parseAcceptLanguage('fr;q=0.2, ar, *;q=0.1, en;q=0, <x>')).toEqual(['ar', 'fr']);
  });
});

describe('public signer name', () => {
  it('keeps the given name and the family initial, in any script', () => {
    expect(publicName('Amal', 'Haddad')).toBe('Amal H.');
    expect(publicName('أمل', 'حداد')).toBe('أمل ح.');
    expect(publicName('Ana', '👩‍👩‍👧 García')).toBe('Ana 👩‍👩‍👧.');
    expect(publicName('Sam', null)).toBe('Sam');
    expect(publicName('Golnar', '\u200f\u062d\u0633\u0646')).toBe('Golnar \u062d.');
    expect(publicName('Sam', '\u200e ')).toBe('Sam');
  });
});
