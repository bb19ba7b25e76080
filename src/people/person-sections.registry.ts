import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * One feature's part of what is held about a person (subscriptions, consent records,
 * signatures, RSVPs...). `GET /admin/people/{id}` shows the sections marked `inDetail`;
 * the subject-access export (`GET /admin/people/{id}/export`) shows all of them.
 * Features register theirs in `onModuleInit`, so adding one needs no change here.
 */
export interface PersonSection {
  /** The field the section fills in the answer (`signatures`, `rsvps`...). */
  key: string;
  inDetail: boolean;
  load(personId: string): Promise<unknown[]>;
}

/**
 * One step of an erasure, run inside the erasure's transaction with the person's row
 * locked, before the row itself is deleted. A step removes or anonymises everything its
 * feature holds about the person; anything left referencing the row is then deleted by
 * the `people` foreign keys' ON DELETE CASCADE.
 */
export interface ErasureStep {
  name: string;
  run(tx: EntityManager, person: { id: string; emailNormalized: string }): Promise<void>;
}

/** The sections every answer carries, filled or not (the people feature's own). */
export const ALWAYS_PRESENT_SECTIONS = ['subscriptions', 'consentRecords'];

/** The people feature's own tables whose rows hold a person (`person_id`). */
const OWN_HOLDERS = ['subscriptions', 'consent_records', 'person_tags'];

/**
 * What the platform holds about a person, feature by feature: the sections of their record,
 * the erasure steps, and the tables whose rows hold them (a person such a row names is not
 * an orphan to delete). The action kinds fill it from their definitions (src/actions),
 * newsletters by hand; nothing here knows a feature.
 */
@Injectable()
export class PersonSectionRegistry {
  private readonly sections = new Map<string, PersonSection>();
  private readonly steps: ErasureStep[] = [];
  private readonly holding = [...OWN_HOLDERS];

  register(section: PersonSection): void {
    if (this.sections.has(section.key)) throw new Error(`two person sections named ${section.key}`);
    this.sections.set(section.key, section);
  }

  registerErasureStep(step: ErasureStep): void {
    if (this.steps.some((s) => s.name === step.name)) throw new Error(`two erasure steps named ${step.name}`);
    this.steps.push(step);
  }

  /** A table with a `person_id` column whose rows keep their person from being deleted as unused. */
  registerHolder(table: string): void {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
    if (!this.holding.includes(table)) this.holding.push(table);
  }

  holders(): string[] {
    return [...this.holding];
  }

  all(): PersonSection[] {
    return [...this.sections.values()];
  }

  erasureSteps(): ErasureStep[] {
    return [...this.steps];
  }
}
