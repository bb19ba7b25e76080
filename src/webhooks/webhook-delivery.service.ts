import { Injectable, Logger } from '@nestjs/common';
import { Webhook as Signer } from 'standardwebhooks';
import { AppConfig } from '../config/app-config';
import { TransactionRunner } from '../database/database.module';
import { EmailMessageRepository } from '../mail/email-message.repository';
import { TransactionalMailService } from '../mail/transactional-mail.service';
import { OnJob } from '../queues/job-handlers';
import { WebhookJob, WEBHOOKS_QUEUE } from '../queues/webhooks.queue';
import type { DeliverWebhookPayload, SendWebhookEmailPayload } from '../queues/webhooks.queue';
import { ForbiddenDestinationError, resolveDestination } from './address-policy';
import { sendWebhook, SendResult } from './webhook-sender';
import { WebhookSecrets } from './webhook-secrets';
import { checkWebhookUrl } from './webhook-url';
import { WebhookDispatcher } from './webhook-dispatcher';
import { DeliveryRow, WebhooksRepository, WebhookWithSecret } from './webhooks.repository';

export const WEBHOOK_DISABLED_EMAIL = 'webhook-disabled';

/** The body of every delivery: `{type, timestamp, data}` (ids; the person's details only when the webhook asked for them). */
export function webhookBody(
  delivery: Pick<DeliveryRow, 'type' | 'occurredAt' | 'data'>,
  person?: Record<string, string | null> | null,
): string {
  return JSON.stringify({
    type: delivery.type,
    timestamp: new Date(delivery.occurredAt).toISOString(),
    data: person ? { ...delivery.data, person } : delivery.data,
  });
}

/**
 * One delivery attempt (worker): checks that it is still owed and due, that no earlier change
 * about the same person is still owed to the same webhook, takes the attempt's lease, checks
 * the destination again (resolved now, the address pinned), signs and POSTs, and records the
 * outcome: delivered, a retry on WEBHOOK_RETRY_SCHEDULE, or failed for good (the webhook is
 * then disabled and the admins emailed). Safe to run twice: the lease and the attempt number
 * make one attempt at a time, and the receiver de-duplicates by `webhook-id`.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);
  private readonly secrets: WebhookSecrets;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly transactions: TransactionRunner,
    private readonly emails: EmailMessageRepository,
    private readonly mail: TransactionalMailService,
    private readonly config: AppConfig,
  ) {
    this.secrets = new WebhookSecrets(config.APP_SECRET);
  }

  @OnJob({ queue: WEBHOOKS_QUEUE, name: WebhookJob.Deliver })
  async deliver(job: DeliverWebhookPayload): Promise<string> {
    const delivery = await this.webhooks.findDelivery(job.deliveryId);
    if (!delivery || delivery.status !== 'pending' || delivery.attemptCount !== job.attempt) return 'stale';
    const webhook = await this.webhooks.findWithSecret(delivery.webhookId);
    if (!webhook || webhook.disabledAt) {
      await this.webhooks.failUnattempted(delivery.id);
      return 'disabled';
    }
    // Held: the earlier delivery's completion enqueues this one (and the sweeper would).
    if (await this.webhooks.hasEarlierPending(delivery)) return 'waiting';
    if (!(await this.webhooks.lease(delivery.id, job.attempt))) return 'leased';

    const at = new Date();
    const result = await this.attempt(webhook, delivery, at);
    const delivered = result.status !== null && result.status >= 200 && result.status < 300;
    const delays = this.config.webhookRetryDelaysMs;
    const retriesLeft = job.attempt < delays.length;
    const outcome = delivered
      ? ({ status: 'delivered' } as const)
      : retriesLeft
        ? ({ status: 'pending', retryInMs: delays[job.attempt] } as const)
        : ({ status: 'failed' } as const);
    const written = await this.webhooks.recordAttempt(
      delivery.id,
      job.attempt,
      { at: at.toISOString(), responseStatus: result.status },
      outcome,
    );
    if (!written) return 'lost-lease';
    if (!delivered)
      this.logger.warn(
        `webhook ${webhook.id} delivery ${delivery.id} attempt ${job.attempt + 1}: ${result.error ?? `HTTP ${result.status}`}`,
      );

    if (outcome.status === 'pending') {
      await this.dispatcher.enqueueSoon([
        { deliveryId: delivery.id, attempt: job.attempt + 1, nextAttemptAt: new Date(Date.now() + outcome.retryInMs) },
      ]);
      return 'retrying';
    }
    if (outcome.status === 'failed') await this.disable(webhook.id);
    // The next change about this person was waiting for this one.
    if (delivery.personId) {
      const next = await this.webhooks.nextForPerson(webhook.id, delivery.personId);
      if (next) await this.dispatcher.enqueueSoon([next]);
    }
    return outcome.status;
  }

  private async attempt(webhook: WebhookWithSecret, delivery: DeliveryRow, at: Date): Promise<SendResult> {
    try {
      const url = checkWebhookUrl(webhook.url, this.config);
      const pinned = await resolveDestination(url.hostname, this.config.webhookAllowPrivate);
      const person = webhook.includePersonalData && delivery.personId ? await this.webhooks.personalData(delivery.personId) : null;
      const body = webhookBody(delivery, person);
      const signature = new Signer(this.secrets.decrypt(webhook.secretEncrypted)).sign(delivery.id, at, body);
      return await sendWebhook(
        url,
        pinned,
        { 'webhook-id': delivery.id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature },
        body,
      );
    } catch (err) {
      if (err instanceof ForbiddenDestinationError) return { status: null, error: err.message };
      return { status: null, error: (err as Error).message };
    }
  }

  /** Spent retries: the webhook is disabled (once) and every admin gets an email, each a stored message sent at most once. */
  private async disable(webhookId: string): Promise<void> {
    const messages = await this.transactions.run(async (tx) => {
      if (!(await this.webhooks.disable(tx, webhookId))) return [];
      const ids: string[] = [];
      for (const admin of await this.webhooks.activeAdmins(tx)) {
        ids.push(
          await this.emails.create(tx, {
            kind: WEBHOOK_DISABLED_EMAIL,
            dedupeKey: `webhook-disabled:${webhookId}:${admin.id}`,
            personId: null,
            language: 'en',
            params: { webhookId, organizerId: admin.id },
          }),
        );
      }
      return ids;
    });
    if (messages.length > 0)
      this.logger.warn(`webhook ${webhookId} disabled after its deliveries kept failing; ${messages.length} admin(s) told`);
    for (const id of messages) await this.dispatcher.enqueueEmail(id);
  }

  @OnJob({ queue: WEBHOOKS_QUEUE, name: WebhookJob.SendEmail })
  async sendEmail(job: SendWebhookEmailPayload): Promise<void> {
    await this.mail.send(job.messageId);
  }
}
