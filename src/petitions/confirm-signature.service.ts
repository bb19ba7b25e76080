import { Injectable } from '@nestjs/common';
import { resolveLanguage } from '../common/languages';
import { TransactionRunner } from '../database/database.module';
import { ConfirmResult } from '../web/confirm-page';
import { personDetailsOf, SupportersRepository } from '../people/membership.repository';
import { ActionTokenService } from '../tokens/action-token.service';
import { PETITION_CONSENT_VERSION } from './petition-messages';
import { PetitionsRepository } from './petitions.repository';

/**
 * The link in the signature email. GET only looks; POST confirms, in one transaction: the
 * token's conditional "used" update picks one winner, the signature becomes confirmed (and
 * one count delta is written), the signer's details reach the person only if the person
 * was unconfirmed, and `subscribe` joins the default list with a consent record.
 */
@Injectable()
export class ConfirmSignatureService {
  constructor(
    private readonly tokens: ActionTokenService,
    private readonly petitions: PetitionsRepository,
    private readonly supporters: SupportersRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  async inspect(token: string): Promise<ConfirmResult> {
    const found = await this.tokens.lookup(token, 'confirm-signature');
    if (found.state === 'unknown' || found.state === 'expired') return { outcome: found.state, language: 'en' };
    const sig = await this.petitions.findSignature(found.token.subjectId);
    if (!sig) return { outcome: 'unknown', language: 'en' };
    const language = resolveLanguage(sig.language);
    return { outcome: found.state === 'used' || sig.status === 'confirmed' ? 'already-confirmed' : 'ready', language };
  }

  confirm(token: string): Promise<ConfirmResult> {
    return this.transactions.run(async (tx) => {
      const found = await this.tokens.lookup(token, 'confirm-signature', tx);
      if (found.state === 'unknown' || found.state === 'expired') return { outcome: found.state, language: 'en' as const };
      const sig = await this.petitions.findSignature(found.token.subjectId, tx);
      if (!sig) return { outcome: 'unknown' as const, language: 'en' as const };
      const language = resolveLanguage(sig.language);
      if (found.state === 'used') return { outcome: 'already-confirmed' as const, language };
      // Person first, then signature: the order the sign path takes its locks in.
      const person = await this.supporters.lockPerson(tx, sig.personId);
      if (!person) return { outcome: 'unknown' as const, language: 'en' as const };
      if (!(await this.tokens.markUsed(tx, found.token.id))) return { outcome: 'already-confirmed' as const, language };
      if (!(await this.petitions.confirmSignature(tx, sig.id, sig.petitionId))) return { outcome: 'already-confirmed' as const, language };

      // A confirmed person's details are their own: a signature never changes them. An
      // unconfirmed person's may have been typed by anyone: the proven signer's replace them.
      if (!person.confirmedAt) {
        await this.supporters.setPersonDetails(tx, person.id, personDetailsOf(sig), person.email, 'replace');
        await this.supporters.markPersonConfirmed(tx, person.id);
      }
      if (sig.subscribe) {
        const lists = await this.supporters.resolveLists(tx, []);
        await this.supporters.subscribe(
          tx,
          person.id,
          lists.map((l) => l.id),
        );
        await this.supporters.recordConsent(tx, {
          personId: person.id,
          action: 'petition-signature',
          form: `petition:${sig.petitionSlug}`,
          textVersion: PETITION_CONSENT_VERSION,
          listSlugs: lists.map((l) => l.slug),
          requestId: sig.id,
          ipHash: sig.ipHash,
          givenAt: sig.createdAt,
        });
      }
      return { outcome: 'confirmed' as const, language };
    });
  }
}
