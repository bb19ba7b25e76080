import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { EmailMessageRepository } from './email-message.repository';
import { TransactionalMailService } from './transactional-mail.service';
import { OutboxRepository, PendingOutboxEntry } from '../outbox/outbox.repository';
import { OutboxRelay } from '../outbox/outbox-relay.service';
import { ConfirmationJob, confirmationJobId, CONFIRMATIONS_QUEUE } from '../queues/confirmations.queue';
import type { SendStoredEmailPayload } from '../queues/confirmations.queue';
import { OnJob } from '../queues/job-handlers';

/**
 * Emails to organizers (a console invitation, a canary alert, an export request's decision),
 * through the same machinery as every transactional email: a stored row (ids only in its
 * params, rendered by the composer registered for its kind) and an outbox intent in the
 * caller's transaction, the `send-stored-email` job after the commit (the sweeper re-drives
 * it, the mail reconciler sends what is left), sent at most once.
 */
@Injectable()
export class StoredEmailService {
  constructor(
    private readonly messages: EmailMessageRepository,
    private readonly outbox: OutboxRepository,
    private readonly mail: TransactionalMailService,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * The relay, where the process has queues (API, worker). The command line (an import) has
   * none: its intents wait in the outbox, and the worker's sweeper enqueues them within seconds.
   */
  private relay(): OutboxRelay | null {
    try {
      return this.moduleRef.get(OutboxRelay, { strict: false });
    } catch {
      return null;
    }
  }

  /** Stores the message and its intent in `tx`; give the entries to `dispatch` once committed. */
  async queue(
    tx: EntityManager,
    message: { kind: string; dedupeKey: string; params: Record<string, string>; language?: string },
  ): Promise<PendingOutboxEntry> {
    const messageId = await this.messages.create(tx, { ...message, personId: null, language: message.language ?? 'en' });
    const entry: PendingOutboxEntry = {
      id: randomUUID(),
      queue: CONFIRMATIONS_QUEUE,
      jobName: ConfirmationJob.SendStoredEmail,
      jobId: confirmationJobId.sendStoredEmail(messageId),
      payload: { messageId } satisfies SendStoredEmailPayload,
    };
    await this.outbox.add(tx, [entry]);
    return entry;
  }

  dispatch(entries: PendingOutboxEntry[]): void {
    const relay = entries.length > 0 ? this.relay() : null;
    for (const entry of entries) relay?.dispatchSoon(entry);
  }

  @OnJob({ queue: CONFIRMATIONS_QUEUE, name: ConfirmationJob.SendStoredEmail })
  async sendStored(data: SendStoredEmailPayload): Promise<void> {
    await this.mail.send(data.messageId);
  }
}
