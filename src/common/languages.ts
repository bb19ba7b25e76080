/** Languages the platform speaks; anything else falls back to English. */
export const SUPPORTED_LANGUAGES = ['en', 'ar', 'fa', 'fr'] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'yi', 'dv']);

/** The supported language for a BCP 47 tag (`fa-IR` → `fa`), else English. */
export function resolveLanguage(tag: string | null | undefined): SupportedLanguage {
  const primary = (tag ?? '').split('-')[0].toLowerCase();
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(primary) ? (primary as SupportedLanguage) : 'en';
}

export function textDirection(language: string): 'rtl' | 'ltr' {
  return RTL_LANGUAGES.has(language.split('-')[0].toLowerCase()) ? 'rtl' : 'ltr';
}

/** Canonical form of a BCP 47 tag: `FA-ir` → `fa-IR`. */
export function canonicalLanguageTag(tag: string): string {
  return tag
    .split('-')
    .map((part, i) =>
      i === 0
        ? part.toLowerCase()
        : part.length === 2
          ? part.toUpperCase()
          : part.length === 4
            ? part[0].toUpperCase() + part.slice(1).toLowerCase()
            : part.toLowerCase(),
    )
    .join('-');
}

export type Catalog<K extends string> = Record<SupportedLanguage, Record<K, string>>;
