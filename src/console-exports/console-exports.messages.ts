import type { SupportedLanguage } from '../common/languages';
import { messages, Messages } from '../messages/catalogue';

export type ConsoleExportsMessages = Messages['consoleExports'];

const CATALOGUE: Record<SupportedLanguage, ConsoleExportsMessages> = messages((m) => m.consoleExports);

/** The exports screen's words (src/messages, section `consoleExports`). */
export function consoleExportsMessages(language: SupportedLanguage): ConsoleExportsMessages {
  return CATALOGUE[language];
}
