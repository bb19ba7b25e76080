import type { SupportedLanguage } from '../common/languages';
import { messages, Messages } from '../messages/catalogue';

export type ConsoleMessages = Messages['console'];

/** The console's words in every language (src/messages, section `console`). */
export const CONSOLE_MESSAGES: Record<SupportedLanguage, ConsoleMessages> = messages((m) => m.console);

export function consoleMessages(language: SupportedLanguage): ConsoleMessages {
  return CONSOLE_MESSAGES[language];
}

/** `{name}` placeholders filled with plain text (the templates escape it). */
export function fill(message: string, values: Record<string, string | number>): string {
  return message.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}

export function roleName(t: ConsoleMessages, role: string): string {
  return role === 'admin' ? t.roleAdmin : role === 'organizer' ? t.roleOrganizer : t.roleViewer;
}

const LOCALES: Record<SupportedLanguage, string> = { en: 'en-GB', ar: 'ar-u-nu-arab', fa: 'fa', fr: 'fr' };

/** A date and time in the organizer's language, in UTC (stated, so nobody misreads an audit entry). */
export function formatDateTime(language: SupportedLanguage, value: Date | string): string {
  return `${new Intl.DateTimeFormat(LOCALES[language], { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(value))} UTC`;
}
