import type { FastifyRequest } from 'fastify';
import type { SupportedLanguage } from '../common/languages';
import type { Role } from '../organizers/organizer.entity';

/** What a console handler knows of the signed-in organizer (`@CurrentSession()`). */
export interface ConsoleSession {
  /** The session's stored id: the SHA-256 hash of the cookie's value, never the value itself. */
  sessionId: string;
  organizerId: string;
  email: string;
  role: Role;
  /** The token every state-changing request of this session must carry (`_csrf` field or `x-csrf-token`). */
  csrfToken: string;
  lang: SupportedLanguage;
}

/**
 * A console request once the guard has let it through. `organizer` is what the audit log
 * reads (src/audit), as it reads the API key guard's: an action in the console is recorded
 * like the same action through the API, with no API key.
 */
export type ConsoleRequest = FastifyRequest & {
  consoleSession?: ConsoleSession;
  organizer?: { organizerId: string; apiKeyId: null; email: string; role: Role };
};
