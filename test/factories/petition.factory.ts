import { INestApplicationContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { CreatePetitionDto } from '../../src/petitions/dto/petition.dto';
import { PetitionsAdminService } from '../../src/petitions/petitions-admin.service';
import { uniqueEmail } from './signup.factory';

export function uniqueSlug(tag = 'petition'): string {
  return `${tag}-${randomUUID().slice(0, 8)}`;
}

export function petitionPayload(overrides: Partial<CreatePetitionDto> = {}): CreatePetitionDto {
  return {
    slug: uniqueSlug(),
    title: 'Free the journalists',
    summary: 'Release every journalist jailed for their work.',
    body: 'Reporting is not a crime.\n\nWe call for the release of every journalist held for their work.',
    target: 'The Minister of Justice',
    goal: 1000,
    language: 'en',
    status: 'open',
    ...overrides,
  };
}

/** Creates a petition through the real service (open unless told otherwise). */
export async function createPetition(
  app: INestApplicationContext,
  overrides: Partial<CreatePetitionDto> = {},
): Promise<{ id: string; slug: string }> {
  const created = await app.get(PetitionsAdminService).create(petitionPayload(overrides));
  return { id: created.id, slug: created.slug };
}

export function signaturePayload(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { email: uniqueEmail('signer'), givenName: 'Sam', familyName: 'Rivera', country: 'FR', language: 'en', ...overrides };
}
