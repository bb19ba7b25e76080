/**
 * The webhooks queue: one job per delivery attempt of an outbound webhook, and the emails
 * telling admins a webhook was disabled. A queue of its own, so a slow receiver never holds
 * up a supporter's confirmation email. The intents are rows of `webhook_deliveries` and
 * `email_messages`; a job only says which one is due (src/webhooks/README.md).
 */
export const WEBHOOKS_QUEUE = 'webhooks';

export const WebhookJob = {
  /** Attempt one delivery (the payload names the attempt, so a stale job does nothing). */
  Deliver: 'deliver-webhook',
  /** Send one stored email about a webhook (disabled after repeated failure) to an admin. */
  SendEmail: 'send-webhook-email',
} as const;

export interface DeliverWebhookPayload {
  deliveryId: string;
  /** Attempts made before this one. */
  attempt: number;
}

export interface SendWebhookEmailPayload {
  messageId: string;
}

export const webhookJobId = {
  deliver: (p: DeliverWebhookPayload): string => `webhook-${p.deliveryId}-${p.attempt}`,
  sendEmail: (messageId: string): string => `webhook-email-${messageId}`,
};
