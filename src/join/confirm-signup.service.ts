import { Injectable } from '@nestjs/common';
import { resolveLanguage, SupportedLanguage } from '../common/languages';
import { TransactionRunner } from '../database/database.module';
import { ConfirmResult } from '../web/confirm-page';
import { ActionTokenService } from '../tokens/action-token.service';
import { personDetailsOf, SupportersRepository } from '../people/membership.repository';

/**
 * The double opt-in link. GET only looks (mail scanners fetch links); POST confirms, once:
 * the token's conditional "used" update decides which of two racing POSTs does the work.
 */
@Injectable()
export class ConfirmSignupService {
  constructor(
    private readonly tokens: ActionTokenService,
    private readonly supporters: SupportersRepository,
    private readonly transactions: TransactionRunner,
  ) {}

  async inspect(token: string): Promise<ConfirmResult> {
    const found = await this.tokens.lookup(token, 'confirm-signup');
    if (found.state === 'unknown' || found.state === 'expired') return { outcome: found.state, language: 'en' };
    const language = await this.languageOf(found.token.subjectId);
    return { outcome: found.state === 'used' ? 'already-confirmed' : 'ready', language };
  }

  async confirm(token: string): Promise<ConfirmResult> {
    return this.transactions.run(async (tx) => {
      const found = await this.tokens.lookup(token, 'confirm-signup', tx);
      if (found.state === 'unknown' || found.state === 'expired') return { outcome: found.state, language: 'en' as const };
      const signup = await this.supporters.findSignup(found.token.subjectId, tx);
      if (!signup || !signup.personId) return { outcome: 'unknown' as const, language: 'en' as const };
      const language = resolveLanguage(signup.language);
      if (found.state === 'used' || !(await this.tokens.markUsed(tx, found.token.id))) {
        return { outcome: 'already-confirmed' as const, language };
      }
      // The person proved the address: now, and only now, their details are theirs to set.
      // An unconfirmed person's earlier details may have been typed by anyone: replace them.
      const person = await this.supporters.lockPerson(tx, signup.personId);
      if (!person) return { outcome: 'unknown' as const, language: 'en' as const };
      await this.supporters.setPersonDetails(
        tx,
        person.id,
        personDetailsOf(signup),
        signup.email,
        person.confirmedAt ? 'merge' : 'replace',
      );
      await this.supporters.markPersonConfirmed(tx, person.id);
      const lists = await this.supporters.resolveLists(tx, signup.listSlugs);
      await this.supporters.subscribe(
        tx,
        person.id,
        lists.map((l) => l.id),
      );
      await this.supporters.recordConsent(tx, {
        personId: signup.personId,
        action: 'signup',
        form: signup.source ?? 'api',
        textVersion: signup.consentTextVersion,
        listSlugs: lists.map((l) => l.slug),
        requestId: signup.id,
        ipHash: signup.ipHash,
        givenAt: signup.createdAt,
      });
      await this.supporters.confirmSignup(tx, signup.id);
      return { outcome: 'confirmed' as const, language };
    });
  }

  private async languageOf(signupId: string): Promise<SupportedLanguage> {
    const signup = await this.supporters.findSignup(signupId);
    return resolveLanguage(signup?.language);
  }
}
