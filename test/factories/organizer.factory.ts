import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Role } from '../../src/organizers/organizer.entity';
import { OrganizersService } from '../../src/organizers/organizers.service';

/** Creates an organizer through the real service and returns its one-time API key. */
export async function createOrganizer(app: INestApplicationContext, role: Role): Promise<{ id: string; email: string; apiKey: string }> {
  const email = `${role}-${randomUUID().slice(0, 8)}@movement.test`;
  const { organizer, apiKey } = await app.get(OrganizersService).create(email, role);
  return { id: organizer.id, email, apiKey };
}
