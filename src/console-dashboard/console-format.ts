import type { SupportedLanguage } from '../common/languages';

const LOCALES: Record<SupportedLanguage, string> = { en: 'en-GB', ar: 'ar-u-nu-arab', fa: 'fa', fr: 'fr' };

/** A count in the organizer's language (Arabic-Indic digits in ar and fa). */
export function formatCount(language: SupportedLanguage, n: number): string {
  return new Intl.NumberFormat(LOCALES[language]).format(n);
}

/** A signed change: `+3`, `−2`, `0`. */
export function formatChange(language: SupportedLanguage, n: number): string {
  return new Intl.NumberFormat(LOCALES[language], { signDisplay: 'exceptZero' }).format(n);
}

export function formatPercent(language: SupportedLanguage, fraction: number): string {
  return new Intl.NumberFormat(LOCALES[language], { style: 'percent', maximumFractionDigits: 0 }).format(fraction);
}

/** A UTC day (`YYYY-MM-DD`) short (`6 Dec`) or long (`6 December 2026`). */
export function formatDay(language: SupportedLanguage, day: string, long = false): string {
  return new Intl.DateTimeFormat(LOCALES[language], {
    day: 'numeric',
    month: long ? 'long' : 'short',
    ...(long ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** An event's start in its own time zone, named (`6 Dec 2026, 19:00 CET`); UTC if the zone is unknown here. */
export function formatInZone(language: SupportedLanguage, value: Date | string, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(LOCALES[language], { ...options, timeZone }).format(new Date(value));
  } catch {
    return new Intl.DateTimeFormat(LOCALES[language], { ...options, timeZone: 'UTC' }).format(new Date(value));
  }
}
