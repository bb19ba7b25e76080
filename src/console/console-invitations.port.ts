import type { Role } from '../organizers/organizer.entity';
import type { ConsoleSession } from './console-session';

/**
 * What the organizers screen needs of the invitations, which live in src/console-auth (that
 * folder imports this one, so this one cannot import it): console-auth provides this token.
 * Both email the invitation; `reset` also deletes the organizer's credentials and sessions.
 */
export abstract class ConsoleInvitations {
  abstract invite(email: string, role: Role, by: ConsoleSession): Promise<{ organizerId: string }>;
  abstract reset(organizerId: string, by: ConsoleSession): Promise<{ email: string }>;
}
