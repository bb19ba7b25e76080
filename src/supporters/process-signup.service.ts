import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { resolveLanguage } from '../common/languages';
import { TransactionRunner } from '../database/database.module';
import { EmailMessageRepository } from '../mail/email-message.repository';
import { SuppressionRepository } from '../mail/suppression.repository';
import { TransactionalMailService } from '../mail/transactional-mail.service';
import { ConfirmationJob, CONFIRMATIONS_QUEUE, ProcessSignupPayload } from '../queues/confirmations.queue';
import { JobHandlers } from '../queues/job-handlers';
import { SIGNATURE_CONFIRMATION_EMAIL } from '../petitions/signature-emails';
import { ActionTokenService } from '../tokens/action-token.service';
import { personDetailsOf, SupportersRepository } from './supporters.repository';

export const SIGNUP_CONFIRMATION_EMAIL = 'signup-confirmation';
/** Every kind of confirmation email: together they count toward the per-address daily ceiling. */
export const CONFIRMATION_EMAIL_KINDS = [SIGNUP_CONFIRMATION_EMAIL, SIGNATURE_CONFIRMATION_EMAIL, 'rsvp-confirmation'];
const TOKEN_TTL_DAYS = 7;

/**
 * The worker half of "join the movement". Runs once per sign-up (a retried or duplicated
 * job finds the sign-up no longer `received` and only makes sure its email went out).
 */
@Injectable()
export class ProcessSignupService implements OnModuleInit {
  private readonly logger = new Logger(ProcessSignupService.name);

  constructor(
    private readonly supporters: SupportersRepository,
    private readonly messages: EmailMessageRepository,
    private readonly suppressions: SuppressionRepository,
    private readonly tokens: ActionTokenService,
    private readonly mail: TransactionalMailService,
    private readonly transactions: TransactionRunner,
    private readonly config: AppConfig,
    private readonly jobs: JobHandlers,
  ) {}

  onModuleInit(): void {
    this.jobs.register<ProcessSignupPayload>(CONFIRMATIONS_QUEUE, ConfirmationJob.ProcessSignup, (data) => this.process(data.signupId));
  }

  async process(signupId: string): Promise<void> {
    // decide() re-checks the status inside its transaction, so a retry costs one read there.
    await this.decide(signupId);
    const messageId = await this.messages.findIdByDedupeKey(`signup:${signupId}`);
    if (messageId) await this.mail.send(messageId);
  }

  private async decide(signupId: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      const signup = await this.supporters.lockSignup(tx, signupId);
      if (signup?.status !== 'received') return;
      // An erased or complaining address gets nothing, not even a row of stranger-typed
      // details: the sign-up goes (an erased address must not re-appear in plain text). A
      // retried job then finds no sign-up and does nothing.
      if (await this.suppressions.isSuppressed(signup.emailNormalized, tx)) {
        await this.supporters.deleteSignup(tx, signupId);
        return;
      }
      const details = personDetailsOf(signup);
      const person = await this.supporters.lockOrCreatePerson(tx, signup.email, signup.emailNormalized, details);
      // An erasure that committed while we waited for the person's lock would otherwise see
      // its person re-created here. Roll back; the retry finds the suppression first.
      if (await this.suppressions.isSuppressed(signup.emailNormalized, tx)) {
        throw new Error(`sign-up ${signupId}: address suppressed while processing; retrying`);
      }
      // Until the address is proven, the newest sign-up's details stand; a confirmed person's
      // details change only through their own confirmation (else anyone could rename anyone).
      if (!person.confirmedAt) await this.supporters.setPersonDetails(tx, person.id, details, signup.email, 'replace');

      const lists = await this.supporters.resolveLists(tx, signup.listSlugs);
      await this.supporters.ensurePendingSubscriptions(
        tx,
        person.id,
        lists.map((l) => l.id),
      );

      // Every sign-up of one address is one subject: the join flow.
      const capped = await this.messages.confirmationCapReached(tx, person.id, {
        subjectKinds: [SIGNUP_CONFIRMATION_EMAIL],
        perSubject: this.config.CONFIRMATION_EMAILS_PER_DAY,
        allKinds: CONFIRMATION_EMAIL_KINDS,
        total: this.config.CONFIRMATION_EMAILS_PER_DAY_TOTAL,
      });
      if (capped) {
        this.logger.log(`confirmation cap reached; sign-up ${signupId} not mailed`);
        await this.supporters.markSignup(tx, signupId, 'throttled', person.id);
        return;
      }
      const tokenId = await this.tokens.issue(tx, 'confirm-signup', signupId, person.id, TOKEN_TTL_DAYS);
      await this.messages.create(tx, {
        kind: SIGNUP_CONFIRMATION_EMAIL,
        dedupeKey: `signup:${signupId}`,
        personId: person.id,
        language: resolveLanguage(signup.language ?? person.language),
        params: { signupId, tokenId },
      });
      await this.supporters.markSignup(tx, signupId, 'mailed', person.id);
    });
  }
}
