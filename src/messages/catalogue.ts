import { SUPPORTED_LANGUAGES, SupportedLanguage } from '../common/languages';
import { ar } from './ar';
import { en } from './en';
import { fa } from './fa';
import { fr } from './fr';

/** The shape of a language's catalogue: the English one's. */
export type Messages = typeof en;

/** One catalogue per language, emails and pages together. */
export const CATALOGUE: Record<SupportedLanguage, Messages> = { en, ar, fa, fr };

/** One section of the catalogue, in every language: `messages((m) => m.join.email)[language].subject`. */
export function messages<T>(pick: (catalogue: Messages) => T): Record<SupportedLanguage, T> {
  return Object.fromEntries(SUPPORTED_LANGUAGES.map((language) => [language, pick(CATALOGUE[language])])) as Record<SupportedLanguage, T>;
}
