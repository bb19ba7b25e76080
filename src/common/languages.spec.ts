import { canonicalLanguageTag, preferredLanguage, requestLanguage, resolveLanguage, textDirection } from './languages';

describe('languages', () => {
  it.each([
    ['ar', 'ar'],
    ['fa-IR', 'fa'],
    ['FR-ca', 'fr'],
    ['de', 'en'],
    [null, 'en'],
  ])('resolves %s to %s', (tag, language) => expect(resolveLanguage(tag)).toBe(language));

  it('knows right-to-left scripts', () => {
    expect(textDirection('ar')).toBe('rtl');
    expect(textDirection('fa-AF')).toBe('rtl');
    expect(textDirection('fr')).toBe('ltr');
  });

  it('canonicalizes tags', () => {
    expect(canonicalLanguageTag('FA-ir')).toBe('fa-IR');
    expect(canonicalLanguageTag('zh-hant-tw')).toBe('zh-Hant-TW');
  });

  it('picks the most preferred supported language of Accept-Language', () => {
    expect(preferredLanguage('fa-IR,fa;q=0.9')).toBe('fa');
    expect(preferredLanguage('de, en;q=0.2, AR;q=0.5')).toBe('ar');
    expect(preferredLanguage('de, *;q=0.5')).toBeNull();
    expect(preferredLanguage('ar;q=0, fr;q=0.1')).toBe('fr');
    expect(preferredLanguage(undefined)).toBeNull();
  });

  it('lets a request body language beat Accept-Language', () => {
    expect(requestLanguage('FR-ca', 'fa')).toBe('fr-CA');
    expect(requestLanguage(undefined, 'fa-IR,fa;q=0.9')).toBe('fa');
    expect(requestLanguage(null, 'de')).toBeNull();
  });
});
