import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { ChangeFeed } from '../changes/change-feed.service';
import { MembershipRepository } from '../people/membership.repository';
import { Person } from '../people/person.entity';
import { ActionRecord, ActionSpec, AddressProof } from './action-definition';

/**
 * The one step that follows a used link, whatever the action: the person proved they own the
 * address, so (1) the details typed with the request become theirs (an unconfirmed person's
 * are replaced: anyone may have typed them; a confirmed person's change only through their
 * own details form, merged), (2) they are confirmed, (3) the lists the request named are
 * subscribed and (4) the consent is recorded with them. A person confirmed for the first time
 * is a `person.confirmed` change (src/changes). Runs inside the link's transaction
 * with the person's row locked.
 */
@Injectable()
export class ProofOfAddress {
  constructor(
    private readonly membership: MembershipRepository,
    private readonly config: AppConfig,
    private readonly changes: ChangeFeed,
  ) {}

  async apply(
    tx: EntityManager,
    spec: Pick<ActionSpec, 'kind' | 'proof' | 'record'>,
    record: ActionRecord,
    person: Person,
    proof: AddressProof,
  ): Promise<void> {
    if (spec.proof.ownDetailsForm || !person.confirmedAt) {
      await this.membership.setPersonDetails(tx, person.id, proof.details, proof.email, person.confirmedAt ? 'merge' : 'replace');
    }
    if (!person.confirmedAt) {
      await this.membership.markPersonConfirmed(tx, person.id);
      await this.changes.record(tx, 'person.confirmed', { personId: person.id });
    }
    // A protected person's proven request (or a protected country) makes them protected for
    // good: no postal code kept, marked in exports (docs/safety.md).
    await this.membership.protectIfProtected(tx, person.id, spec.record.table, record.id, this.config.protectedCountries);
    if (!proof.lists) return;
    const lists = await this.membership.resolveLists(tx, proof.lists);
    await this.membership.subscribe(
      tx,
      person.id,
      lists.map((l) => l.id),
    );
    const textVersion = proof.textVersion ?? spec.proof.consentTextVersion;
    if (!textVersion) throw new Error(`${spec.kind}: no consent text version`);
    await this.membership.recordConsent(tx, {
      personId: person.id,
      action: spec.proof.consentAction,
      form: proof.form,
      textVersion,
      listSlugs: lists.map((l) => l.slug),
      requestId: record.id,
      ipHash: record.ipHash,
      givenAt: record.requestedAt,
    });
  }
}
