import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { decodeCursor, Page, toPage } from '../common/pagination';
import { RequestValidationException } from '../common/validation';
import { AppConfig } from '../config/app-config';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { ForbiddenDestinationError, resolveDestination } from './address-policy';
import { CreatedWebhookResponse, CreateWebhookDto, DeliveryResponse, WebhookResponse } from './dto/webhook.dto';
import { WebhookDispatcher } from './webhook-dispatcher';
import { WebhookSecrets } from './webhook-secrets';
import { checkWebhookUrl, InvalidWebhookUrlError } from './webhook-url';
import { DeliveryRow, WebhookRow, WebhooksRepository } from './webhooks.repository';

function view(w: WebhookRow): WebhookResponse {
  return {
    id: w.id,
    url: w.url,
    events: w.events,
    includePersonalData: w.includePersonalData,
    status: w.disabledAt ? 'disabled' : 'active',
    createdAt: w.createdAt,
    disabledAt: w.disabledAt,
  };
}

function deliveryView(d: Omit<DeliveryRow, 'cursorMicros'>): DeliveryResponse {
  return {
    id: d.id,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    createdAt: d.createdAt,
    nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
  };
}

/** Admins' webhooks: creation (URL checked where it resolves, secret made and shown once), reading, deletion, test events. */
@Injectable()
export class WebhooksService {
  private readonly secrets: WebhookSecrets;

  constructor(
    private readonly webhooks: WebhooksRepository,
    private readonly dispatcher: WebhookDispatcher,
    private readonly config: AppConfig,
  ) {
    this.secrets = new WebhookSecrets(config.APP_SECRET);
  }

  async create(req: AuthenticatedRequest, dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    // The route is admins' already; personal data in payloads is spelled out again here, so a
    // later change of the route's role cannot open it to organizers.
    if (dto.includePersonalData && req.organizer?.role !== 'admin')
      throw new ForbiddenException('includePersonalData needs the admin role');
    const url = await this.checkDestination(dto.url);
    const secret = WebhookSecrets.generate();
    const row = await this.webhooks.create({
      url: url.toString(),
      events: [...new Set(dto.events)],
      includePersonalData: dto.includePersonalData ?? false,
      secretEncrypted: this.secrets.encrypt(secret),
      createdBy: req.organizer?.organizerId ?? null,
    });
    return { ...view(row), secret };
  }

  /** The URL's shape, then where it resolves now (checked again, and pinned, at every delivery). */
  private async checkDestination(value: string): Promise<URL> {
    try {
      const url = checkWebhookUrl(value, this.config);
      await resolveDestination(url.hostname, this.config.webhookAllowPrivate);
      return url;
    } catch (err) {
      if (err instanceof InvalidWebhookUrlError || err instanceof ForbiddenDestinationError) {
        throw new RequestValidationException([{ field: 'url', message: err.message }]);
      }
      throw err;
    }
  }

  async list(limit: number, cursor?: string): Promise<Page<WebhookResponse>> {
    const rows = await this.webhooks.page(limit, decodeCursor(cursor));
    return toPage(rows, limit, view);
  }

  async get(id: string): Promise<WebhookResponse> {
    const row = await this.webhooks.find(id);
    if (!row) throw new NotFoundException('No such webhook');
    return view(row);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.webhooks.delete(id))) throw new NotFoundException('No such webhook');
  }

  /** A `webhook.test` event, delivered (and retried) like any other; answers with its delivery. */
  async test(id: string): Promise<DeliveryResponse> {
    const webhook = await this.get(id);
    if (webhook.status === 'disabled') throw new ConflictException('This webhook is disabled; create it anew');
    const due = await this.webhooks.addTestDelivery(id);
    await this.dispatcher.enqueueSoon([due]);
    const delivery = await this.webhooks.findDelivery(due.deliveryId);
    return deliveryView(delivery!);
  }

  async deliveries(id: string, limit: number, cursor?: string): Promise<Page<DeliveryResponse>> {
    const after = decodeCursor(cursor);
    await this.get(id);
    return toPage(await this.webhooks.deliveries(id, limit, after), limit, deliveryView);
  }
}
