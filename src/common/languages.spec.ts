import { canonicalLanguageTag, resolveLanguage, textDirection } from './languages';

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
});
