import { Injectable, NotFoundException } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { ChangeFeed } from '../changes/change-feed.service';
import { TransactionRunner } from '../database/database.module';
import { SuppressionRepository } from '../mail/suppression.repository';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PeopleRepository } from './people.repository';
import { PersonSectionRegistry } from './person-sections.registry';

/**
 * Erasure ("right to be forgotten"), all in one transaction so it happens entirely or not
 * at all: the address becomes a keyed-hash suppression entry (never mailed again, never
 * stored in the clear), every feature's erasure step runs (signatures and RSVPs keep only
 * an anonymous counted row), then the person's row goes and its subscriptions, consent
 * records and tags with it. The audit entry names the person's id only.
 */
@Injectable()
export class ErasePersonService {
  constructor(
    private readonly people: PeopleRepository,
    private readonly sections: PersonSectionRegistry,
    private readonly suppressions: SuppressionRepository,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly changes: ChangeFeed,
  ) {}

  async erase(req: AuthenticatedRequest | undefined, id: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      // Locked, so a tag, import or sign-up job touching this person waits for the erasure.
      const person = await this.people.lockPerson(tx, id);
      if (!person) throw new NotFoundException('No such person');
      await this.suppressions.add(person.emailNormalized, 'erasure', tx);
      const steps = this.sections.erasureSteps();
      for (const step of steps) await step.run(tx, { id: person.id, emailNormalized: person.emailNormalized });
      await this.people.deletePerson(tx, person.id);
      // The id only: the tombstone (erased_people, by trigger) and the event tell syncs and webhooks to forget them.
      await this.changes.record(tx, 'person.erased', { personId: person.id });
      await this.audit.record(
        req,
        { action: 'person.erase', targetType: 'person', targetId: person.id, details: { steps: steps.map((s) => s.name) } },
        tx,
      );
    });
  }
}
