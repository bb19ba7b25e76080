import { SupportedLanguage } from '../common/languages';
import { messages } from '../messages/catalogue';

/** Version of the text under the RSVP form's "keep me informed" box; recorded with the consent. */
export const RSVP_SUBSCRIBE_CONSENT_VERSION = 'event-rsvp-2026-11';

/** Every event email, in every language (src/messages). `{{...}}` placeholders are filled, then escaped by the layout. */
export const EVENT_EMAIL = messages((m) => m.event.email);

/** The pages behind the links in event emails. */
export const EVENT_PAGES = messages((m) => m.event.link);

const LOCALES: Record<SupportedLanguage, string> = { en: 'en-GB', ar: 'ar', fa: 'fa', fr: 'fr-FR' };

/** A time as the reader expects it: their language, the event's zone, the zone named. */
export function formatEventTime(date: Date, timeZone: string, language: SupportedLanguage): string {
  const formatted = new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'full', timeStyle: 'short', timeZone }).format(date);
  return `${formatted} (${timeZone})`;
}
