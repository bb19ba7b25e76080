import type { SupportedLanguage } from '../common/languages';
import { messages, Messages } from '../messages/catalogue';

export type ConsoleImportsMessages = Messages['consoleImports'];

const CATALOGUE: Record<SupportedLanguage, ConsoleImportsMessages> = messages((m) => m.consoleImports);

/** The import wizard's words (src/messages, section `consoleImports`). */
export function consoleImportsMessages(language: SupportedLanguage): ConsoleImportsMessages {
  return CATALOGUE[language];
}
