import type { Role } from '../organizers/organizer.entity';

/** viewer < organizer < admin, as the organizer API ranks them (src/organizers/auth.guard.ts). */
export const ROLE_RANK: Record<Role, number> = { viewer: 1, organizer: 2, admin: 3 };

export function roleAtLeast(role: Role, minRole: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minRole];
}
