import type { Role } from './organizer.entity';

/** viewer < organizer < admin: the one ranking the API, OSDI and the console apply. */
const RANK: Record<Role, number> = { viewer: 1, organizer: 2, admin: 3 };

export function roleAtLeast(role: Role, minRole: Role): boolean {
  return RANK[role] >= RANK[minRole];
}
