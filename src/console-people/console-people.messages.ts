import type { SupportedLanguage } from '../common/languages';
import { messages, Messages } from '../messages/catalogue';

export type ConsolePeopleMessages = Messages['consolePeople'];

const CATALOGUE: Record<SupportedLanguage, ConsolePeopleMessages> = messages((m) => m.consolePeople);

/** The people screens' words (src/messages, section `consolePeople`). */
export function consolePeopleMessages(language: SupportedLanguage): ConsolePeopleMessages {
  return CATALOGUE[language];
}
