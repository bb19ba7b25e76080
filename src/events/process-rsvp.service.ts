import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { resolveLanguage } from '../common/languages';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/database.module';
import { EmailMessageRepository } from '../mail/email-message.repository';
import { SuppressionRepository } from '../mail/suppression.repository';
import { TransactionalMailService } from '../mail/transactional-mail.service';
import { ConfirmationJob, CONFIRMATIONS_QUEUE, ProcessRsvpPayload, SendEventEmailPayload } from '../queues/confirmations.queue';
import { JobHandlers } from '../queues/job-handlers';
import { CONFIRMATION_EMAIL_KINDS } from '../supporters/process-signup.service';
import { SupportersRepository } from '../supporters/supporters.repository';
import { ActionTokenService } from '../tokens/action-token.service';
import { EventsRepository } from './events.repository';
import { EventEmail } from './seat-allocation.service';

const TOKEN_TTL_DAYS = 7;

/**
 * The worker half of an RSVP request: decides what the request means for its person and
 * sends the confirmation link. Each request round is decided once (a retried or duplicated
 * job finds its round processed and only makes sure the email went out).
 */
@Injectable()
export class ProcessRsvpService implements OnModuleInit {
  private readonly logger = new Logger(ProcessRsvpService.name);

  constructor(
    private readonly events: EventsRepository,
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
    this.jobs.register<ProcessRsvpPayload>(CONFIRMATIONS_QUEUE, ConfirmationJob.ProcessRsvp, (data) => this.process(data.rsvpId));
    this.jobs.register<SendEventEmailPayload>(CONFIRMATIONS_QUEUE, ConfirmationJob.SendEventEmail, async (data) => {
      await this.mail.send(data.messageId);
    });
  }

  async process(rsvpId: string): Promise<void> {
    const outcome = await this.decide(rsvpId);
    if (outcome && typeof outcome === 'object') {
      await this.supporters.deletePersonIfUnused(outcome.suppressedPersonId);
      return;
    }
    const dedupeKey = outcome;
    if (!dedupeKey) return;
    const messageId = await this.messages.findIdByDedupeKey(dedupeKey);
    if (messageId) await this.mail.send(messageId);
  }

  /**
   * Returns the dedupe key of the round's confirmation email (sent or to send), if any; or,
   * for a suppressed (erased, complaining) address, the person to delete if nothing else is theirs.
   */
  private async decide(rsvpId: string): Promise<string | { suppressedPersonId: string } | null> {
    return this.transactions.run(async (tx) => {
      const rsvp = await this.events.findRsvp(rsvpId, tx);
      if (!rsvp?.personId || !rsvp.email) return null;
      const dedupeKey = `rsvp:${rsvpId}:${rsvp.requestRound}`;
      if (rsvp.processedRound >= rsvp.requestRound) return dedupeKey;
      // The person's lock serialises every confirmation decision of one address (cap count).
      const person = await this.supporters.lockPerson(tx, rsvp.personId);
      const current = await this.events.lockRsvp(tx, rsvpId);
      if (!person || !current?.email) return null;
      const round = current.requestRound;
      if (current.processedRound >= round) return `rsvp:${rsvpId}:${round}`;
      // Already going or waitlisted: a repeated request changes nothing and mails nothing.
      // A suppressed address gets nothing and keeps no stranger-typed details: a pending RSVP
      // (no seat) goes, and so does its person if that is all they were (an erased address
      // must not come back as a row).
      if (current.status === 'pending' && (await this.suppressions.isSuppressed(current.email, tx))) {
        await this.events.deletePendingRsvp(tx, rsvpId);
        return { suppressedPersonId: person.id };
      }
      if (current.status !== 'pending') {
        await this.events.markProcessed(tx, rsvpId, round);
        return null;
      }
      // One RSVP per person and event: its rounds are the repeats the resend cap counts.
      const capped = await this.messages.confirmationCapReached(tx, person.id, {
        subjectKinds: [EventEmail.Confirmation],
        about: { rsvpId },
        perSubject: this.config.CONFIRMATION_EMAILS_PER_DAY,
        allKinds: CONFIRMATION_EMAIL_KINDS,
        total: this.config.CONFIRMATION_EMAILS_PER_DAY_TOTAL,
      });
      if (capped) {
        this.logger.log(`confirmation cap reached; rsvp ${rsvpId} not mailed`);
        await this.events.markProcessed(tx, rsvpId, round);
        return null;
      }
      const tokenId = await this.tokens.issue(tx, 'confirm-rsvp', rsvpId, person.id, TOKEN_TTL_DAYS);
      await this.messages.create(tx, {
        kind: EventEmail.Confirmation,
        dedupeKey: `rsvp:${rsvpId}:${round}`,
        personId: person.id,
        language: resolveLanguage(current.language ?? person.language),
        params: { rsvpId, tokenId },
      });
      await this.events.markProcessed(tx, rsvpId, round);
      return `rsvp:${rsvpId}:${round}`;
    });
  }
}
