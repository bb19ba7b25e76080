import type { SupportedLanguage } from '../common/languages';
import type { Role } from '../organizers/organizer.entity';
import { roleAtLeast } from '../organizers/roles';

/**
 * One link of the console's navigation. Feature modules register theirs (at import time or
 * in `onModuleInit`) without src/console importing them: console-people imports console,
 * never the reverse. Registering the same `id` again replaces the entry (several platforms
 * in one test process register the same links).
 */
export interface ConsoleNavEntry {
  /** Stable id, e.g. `people`. */
  id: string;
  /** Absolute path, e.g. `/console/people`. The link is current on it and below it. */
  path: string;
  /** The link's text in the organizer's language (from src/messages). */
  label: (language: SupportedLanguage) => string;
  /** The least role that may use the screen: the link is shown only to it and above. */
  minRole: Role;
  /** Position, smaller first: home 0, security 90, organizers 100, API keys 110, audit 120; features 10-80. */
  order: number;
}

const entries = new Map<string, ConsoleNavEntry>();

export function registerConsoleNav(entry: ConsoleNavEntry): void {
  entries.set(entry.id, entry);
}

/** The links `role` may follow, in order. */
export function consoleNavFor(role: Role): ConsoleNavEntry[] {
  return [...entries.values()].filter((e) => roleAtLeast(role, e.minRole)).sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}
