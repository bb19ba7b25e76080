import { Injectable } from '@nestjs/common';
import { ChangeFeed } from '../changes/change-feed.service';
import type { ChangeData } from '../changes/change-types';
import { resolveLanguage, SupportedLanguage } from '../common/languages';
import { TransactionRunner } from '../database/database.module';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { PendingOutboxEntry } from '../outbox/outbox.repository';
import { MembershipRepository } from '../people/membership.repository';
import { ActionTokenService, TokenLookup } from '../tokens/action-token.service';
import { ActionRecord } from './action-definition';
import { ActionRegistry } from './action-registry';
import { ProofOfAddress } from './proof-of-address.service';

/** What a link found, with the record it names (null for `unknown` and `expired`). */
export interface LinkResult {
  outcome: string;
  language: SupportedLanguage;
  record: ActionRecord | null;
}

/** Nothing of the record can be shown: the page is in English. */
const failure = (found: TokenLookup): LinkResult => ({
  outcome: found.state === 'expired' ? 'expired' : 'unknown',
  language: 'en',
  record: null,
});
const UNKNOWN: LinkResult = { outcome: 'unknown', language: 'en', record: null };

/**
 * The link in every confirmation email. GET only looks (mail scanners fetch links); POST acts,
 * once, in one transaction:
 *
 *   token of the kind's purpose → record → person locked → token marked used (the one winner
 *   of a double click) → the record's own claim (pending → confirmed) → proof of address →
 *   the kind's outcome (a count, a seat).
 *
 * The person is locked before anything is written, the order every path of every kind takes
 * its locks in.
 */
@Injectable()
export class ConfirmLinks {
  constructor(
    private readonly registry: ActionRegistry,
    private readonly tokens: ActionTokenService,
    private readonly membership: MembershipRepository,
    private readonly proof: ProofOfAddress,
    private readonly transactions: TransactionRunner,
    private readonly relay: OutboxRelay,
    private readonly changes: ChangeFeed,
  ) {}

  async inspect(kind: string, token: string): Promise<LinkResult> {
    const definition = this.registry.get(kind);
    const found = await this.tokens.lookup(token, definition.spec.link.purpose);
    if (found.state !== 'valid' && found.state !== 'used') return failure(found);
    const record = await definition.findForLink(found.token.subjectId);
    if (!record) return UNKNOWN;
    const outcome = found.state === 'used' || !definition.awaitsConfirmation(record) ? 'already' : 'ready';
    return { outcome, language: resolveLanguage(record.language), record };
  }

  async confirm(kind: string, token: string): Promise<LinkResult> {
    const definition = this.registry.get(kind);
    const dispatch: PendingOutboxEntry[] = [];
    const result = await this.transactions.run(async (tx): Promise<LinkResult> => {
      const found = await this.tokens.lookup(token, definition.spec.link.purpose, tx);
      if (found.state !== 'valid' && found.state !== 'used') return failure(found);
      const record = await definition.findForLink(found.token.subjectId, tx);
      if (!record?.personId) return UNKNOWN;
      const answer = (outcome: string): LinkResult => ({ outcome, language: resolveLanguage(record.language), record });
      if (found.state === 'used' || !definition.awaitsConfirmation(record)) return answer('already');
      const person = await this.membership.lockPerson(tx, record.personId);
      if (!person) return UNKNOWN;
      if (!(await this.tokens.markUsed(tx, found.token.id))) return answer('already');
      const refused = await definition.claim(tx, record);
      if (refused) return answer(refused);
      await this.proof.apply(tx, definition.spec, record, person, definition.proofOf(record, person));
      const decided = definition.outcome ? await definition.outcome(tx, record, person) : { outcome: 'confirmed' };
      dispatch.push(...(decided.dispatch ?? []));
      // The outcome's change event commits with it (the change feed's outbox, src/changes).
      const change = definition.spec.changes?.[decided.outcome];
      if (change) {
        const data: ChangeData = { personId: person.id, ...definition.changeIds?.(record), [definition.spec.record.idParam]: record.id };
        await this.changes.record(tx, change, data);
      }
      return answer(decided.outcome);
    });
    for (const entry of dispatch) this.relay.dispatchSoon(entry);
    return result;
  }
}
