import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Audited } from '../audit/audited.interceptor';
import { ErrorResponse } from '../common/error-response';
import { Page, PageQuery } from '../common/pagination';
import { UuidPipe } from '../common/uuid.pipe';
import { Auth } from '../organizers/auth.guard';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import {
  CreatedWebhookResponse,
  CreateWebhookDto,
  DeliveryPage,
  DeliveryResponse,
  WebhookPage,
  WebhookPayload,
  WebhookResponse,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

@ApiTags('admin: webhooks')
@ApiExtraModels(WebhookPayload)
@Controller('api/v1/admin/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Auth('admin')
  @Audited('webhook.create', 'webhook')
  @ApiOperation({
    summary: 'Create a signed outbound webhook',
    description:
      'Events are POSTed as WebhookPayload, signed per Standard Webhooks with the secret answered here once. The URL must resolve to public addresses unless WEBHOOK_ALLOW_PRIVATE=1.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'Bad URL, or one resolving to a loopback, private or link-local address' })
  create(@Req() req: AuthenticatedRequest, @Body() dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    return this.webhooks.create(req, dto);
  }

  @Get()
  @Auth('organizer')
  @ApiOperation({ summary: 'List webhooks' })
  @ApiOkResponse({ type: WebhookPage })
  list(@Query() query: PageQuery): Promise<Page<WebhookResponse>> {
    return this.webhooks.list(query.limit, query.cursor);
  }

  @Get(':id')
  @Auth('organizer')
  @ApiOperation({ summary: 'Get one webhook' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  get(@Param('id', UuidPipe) id: string): Promise<WebhookResponse> {
    return this.webhooks.get(id);
  }

  @Delete(':id')
  @Auth('admin')
  @Audited('webhook.delete', 'webhook')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook (its pending deliveries are dropped)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponse })
  async delete(@Param('id', UuidPipe) id: string): Promise<void> {
    await this.webhooks.delete(id);
  }

  @Post(':id/test')
  @Auth('admin')
  @Audited('webhook.test', 'webhook')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a webhook.test event', description: 'Delivered and retried like any event; answers with its delivery' })
  @ApiAcceptedResponse({ type: DeliveryResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The webhook is disabled' })
  test(@Param('id', UuidPipe) id: string): Promise<DeliveryResponse> {
    return this.webhooks.test(id);
  }

  @Get(':id/deliveries')
  @Auth('organizer')
  @ApiOperation({ summary: "List a webhook's deliveries and their attempts", description: 'Newest first' })
  @ApiOkResponse({ type: DeliveryPage })
  @ApiNotFoundResponse({ type: ErrorResponse })
  deliveries(@Param('id', UuidPipe) id: string, @Query() query: PageQuery): Promise<Page<DeliveryResponse>> {
    return this.webhooks.deliveries(id, query.limit, query.cursor);
  }
}
