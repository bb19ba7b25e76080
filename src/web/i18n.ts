import { preferredLanguage, SUPPORTED_LANGUAGES, SupportedLanguage } from '../common/languages';
import { messages, Messages as Catalogue } from '../messages/catalogue';

export type MessageKey = keyof Catalogue['page'];
export type Messages = Record<MessageKey, string>;

/** The public pages' words (src/messages: one catalogue per language, emails and pages together). */
export const MESSAGES: Record<SupportedLanguage, Messages> = messages((m) => m.page);

/** Each language's name in itself, for the switcher. */
export const LANGUAGE_NAMES: Record<SupportedLanguage, string> = { en: 'English', ar: 'العربية', fa: 'فارسی', fr: 'Français' };

/** Intl locale per language: Arabic pages write Arabic-Indic digits (Persian ones do by default). */
const INTL_LOCALE: Record<SupportedLanguage, string> = { en: 'en', ar: 'ar-u-nu-arab', fa: 'fa', fr: 'fr' };

export function intlLocale(language: SupportedLanguage): string {
  return INTL_LOCALE[language];
}

export function isSupported(tag: unknown): tag is SupportedLanguage {
  return typeof tag === 'string' && (SUPPORTED_LANGUAGES as readonly string[]).includes(tag);
}

/**
 * The page's language: `?lang=` when it names a supported language, else the browser's best
 * supported Accept-Language match, else the content's own language (petition), else English.
 */
export function pageLanguage(queryLang: unknown, acceptLanguage: string | undefined, contentLanguage?: string): SupportedLanguage {
  if (isSupported(queryLang)) return queryLang;
  const preferred = preferredLanguage(acceptLanguage);
  if (preferred) return preferred;
  const own = (contentLanguage ?? '').split('-')[0].toLowerCase();
  return isSupported(own) ? own : 'en';
}

/** `{name}` placeholders filled with plain text (escaping is the template's job). */
export function format(message: string, values: Record<string, string>): string {
  return message.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

export function formatNumber(language: SupportedLanguage, value: number): string {
  return new Intl.NumberFormat(INTL_LOCALE[language]).format(value);
}

/** An event's start and end in its own time zone, in the page's language and calendar. */
export function formatEventTime(language: SupportedLanguage, startsAt: Date, endsAt: Date, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = { dateStyle: 'full', timeStyle: 'short', timeZone };
  const range = new Intl.DateTimeFormat(INTL_LOCALE[language], options).formatRange(startsAt, endsAt);
  const zone =
    new Intl.DateTimeFormat(INTL_LOCALE[language], { timeZone, timeZoneName: 'long' })
      .formatToParts(startsAt)
      .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
  return `${range} (${zone})`;
}
