import type { SupportedLanguage } from '../common/languages';

const LOCALES: Record<SupportedLanguage, string> = { en: 'en-GB', ar: 'ar', fa: 'fa', fr: 'fr' };

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

/** An event's start in its own time zone, named. */
export function formatInZone(language: SupportedLanguage, value: Date | string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeStyle: 'short', timeZone, timeZoneName: 'short' }).format(
      new Date(value),
    );
  } catch {
    return new Intl.DateTimeFormat(LOCALES[language], {
      dateStyle: 'medium',
      timeStyle: 'short',
      timeZone: 'UTC',
      timeZoneName: 'short',
    }).format(new Date(value));
  }
}
