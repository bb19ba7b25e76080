import type { SupportedLanguage } from '../common/languages';

const LOCALES: Record<SupportedLanguage, string> = { en: 'en-GB', ar: 'ar-u-nu-arab', fa: 'fa', fr: 'fr' };

// Building an Intl formatter costs far more than using one (a 90-day dashboard formats some
// thousand values): each is built once per language, options and zone, and kept.
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(language: SupportedLanguage, kind: 'count' | 'change' | 'percent'): Intl.NumberFormat {
  const key = `${language}|${kind}`;
  let format = numberFormats.get(key);
  if (!format) {
    const options: Intl.NumberFormatOptions =
      kind === 'change' ? { signDisplay: 'exceptZero' } : kind === 'percent' ? { style: 'percent', maximumFractionDigits: 0 } : {};
    format = new Intl.NumberFormat(LOCALES[language], options);
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(language: SupportedLanguage, key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const cacheKey = `${language}|${key}`;
  let format = dateFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[language], options);
    // Time zones are organizer input (one per event): bound the cache all the same.
    if (dateFormats.size > 1000) dateFormats.clear();
    dateFormats.set(cacheKey, format);
  }
  return format;
}

/** A count in the organizer's language (Arabic-Indic digits in ar and fa). */
export function formatCount(language: SupportedLanguage, n: number): string {
  return numberFormat(language, 'count').format(n);
}

/** A signed change: `+3`, `−2`, `0`. */
export function formatChange(language: SupportedLanguage, n: number): string {
  return numberFormat(language, 'change').format(n);
}

export function formatPercent(language: SupportedLanguage, fraction: number): string {
  return numberFormat(language, 'percent').format(fraction);
}

/** A UTC day (`YYYY-MM-DD`) short (`6 Dec`) or long (`6 December 2026`). */
export function formatDay(language: SupportedLanguage, day: string, long = false): string {
  const options: Intl.DateTimeFormatOptions = long
    ? { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }
    : { day: 'numeric', month: 'short', timeZone: 'UTC' };
  return dateFormat(language, long ? 'day-long' : 'day-short', options).format(new Date(`${day}T00:00:00Z`));
}

const ZONED: Intl.DateTimeFormatOptions = {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

/** An event's start in its own time zone, named (`6 Dec 2026, 19:00 CET`); UTC if the zone is unknown here. */
export function formatInZone(language: SupportedLanguage, value: Date | string, timeZone: string): string {
  try {
    return dateFormat(language, `zone|${timeZone}`, { ...ZONED, timeZone }).format(new Date(value));
  } catch {
    return dateFormat(language, 'zone|UTC', { ...ZONED, timeZone: 'UTC' }).format(new Date(value));
  }
}
