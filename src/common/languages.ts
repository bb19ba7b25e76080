/** Languages the platform speaks; anything else falls back to English. */
export const SUPPORTED_LANGUAGES = ['en', 'ar', 'fa', 'fr'] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

const RTL_LANGUAGES = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'yi', 'dv']);

/** The supported language for a BCP 47 tag (`fa-IR` → `fa`), else English. */
export function resolveLanguage(tag: string | null | undefined): SupportedLanguage {
  const primary = (tag ?? '').split('-')[0].toLowerCase();
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(primary) ? (primary as SupportedLanguage) : 'en';
}

/** Accept-Language's tags by preference (q), wildcards and q=0 left out. */
export function parseAcceptLanguage(header: string | undefined): string[] {
  if (!header) return [];
  return header
    .slice(0, 500)
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, index };
    })
    .filter((t) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(t.tag) && t.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((t) => t.tag);
}

/** The supported language Accept-Language prefers most (`fa-IR,fa;q=0.9` → `fa`), else null. */
export function preferredLanguage(acceptLanguage: string | undefined): SupportedLanguage | null {
  for (const tag of parseAcceptLanguage(acceptLanguage)) {
    const primary = tag.split('-')[0].toLowerCase();
    if ((SUPPORTED_LANGUAGES as readonly string[]).includes(primary)) return primary as SupportedLanguage;
  }
  return null;
}

/**
 * The language a public form's request is in, as stored with it: the body's own tag wins
 * (canonical form); without one, the browser's best supported Accept-Language match, so the
 * confirmation email speaks the language the page was read in. Null when neither says.
 */
export function requestLanguage(bodyLanguage: string | null | undefined, acceptLanguage: string | undefined): string | null {
  return bodyLanguage ? canonicalLanguageTag(bodyLanguage) : preferredLanguage(acceptLanguage);
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
