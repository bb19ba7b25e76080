import { Injectable, OnModuleInit } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { renderActionEmail } from '../mail/email-layout';
import { EmailMessage } from '../mail/email-message.entity';
import { OutgoingEmail } from '../mail/mailer.service';
import { MessageComposer, MessageComposerRegistry } from '../mail/message-composer.registry';
import { WEBHOOK_DISABLED_EMAIL } from './webhook-delivery.service';
import { WebhooksRepository } from './webhooks.repository';

/**
 * The email telling an admin that a webhook was disabled, rendered from ids (the webhook,
 * the admin) when it is sent. Organizers' own tool: English, like the console. The URL is
 * shown by its origin only (a path may hold a receiver's token).
 */
@Injectable()
export class WebhookEmailComposer implements MessageComposer, OnModuleInit {
  constructor(
    private readonly registry: MessageComposerRegistry,
    private readonly webhooks: WebhooksRepository,
    private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register(WEBHOOK_DISABLED_EMAIL, this);
  }

  async compose(message: Pick<EmailMessage, 'params'>): Promise<OutgoingEmail | null> {
    const to = await this.webhooks.organizerEmail(message.params.organizerId);
    const webhook = await this.webhooks.find(message.params.webhookId);
    if (!to || !webhook) return null;
    const origin = new URL(webhook.url).origin;
    const content = renderActionEmail({
      language: 'en',
      subject: 'A webhook was disabled',
      greeting: 'Hello,',
      paragraphs: [
        `The webhook to ${origin} (id ${webhook.id}) kept failing: a delivery got no 2xx answer through all its retries (WEBHOOK_RETRY_SCHEDULE, about a day by default), so it was disabled and nothing more is sent to it.`,
        'Its deliveries and their answers are listed at GET /api/v1/admin/webhooks/{id}/deliveries. Once the receiver works again, create the webhook anew.',
      ],
      actionLabel: '',
      actionUrl: '',
      fallbackLabel: '',
      footer: `Sent by the campaign platform at ${this.config.publicUrl} to its admins.`,
    });
    return { to, ...content };
  }
}
