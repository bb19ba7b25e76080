import { Module } from '@nestjs/common';
import { MailModule } from '../mail/mail.module';
import { WebhookDeliveryService } from './webhook-delivery.service';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookEmailComposer } from './webhook-email.composer';
import { WebhookFanOut } from './webhook-fanout.subscriber';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksService } from './webhooks.service';

/**
 * Signed outbound webhooks (src/webhooks/README.md). The API creates them and test events;
 * the worker fans the change feed out to deliveries, attempts them and re-drives them
 * (`WebhookSweeper`, `WebhooksProcessor` in src/worker.module.ts).
 */
@Module({
  imports: [MailModule],
  providers: [WebhooksRepository, WebhookDispatcher, WebhooksService, WebhookDeliveryService, WebhookFanOut, WebhookEmailComposer],
  exports: [WebhooksService, WebhooksRepository, WebhookDispatcher],
})
export class WebhooksModule {}
