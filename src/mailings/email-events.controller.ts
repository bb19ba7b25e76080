import { Body, CanActivate, Controller, ExecutionContext, HttpCode, Injectable, Post, UseGuards } from '@nestjs/common';
import { ApiAcceptedResponse, ApiNotFoundResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { EMAIL_WEBHOOK_SECURITY } from '../common/openapi';
import { EmailEventDto } from './dto/email-event.dto';
import { EmailEventsService } from './email-events.service';

/** Checks X-Webhook-Secret before the body is even validated. */
@Injectable()
export class EmailWebhookGuard implements CanActivate {
  constructor(private readonly events: EmailEventsService) {}

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers['x-webhook-secret'];
    this.events.authenticate(typeof header === 'string' ? header : undefined);
    return true;
  }
}

@ApiTags('webhooks')
@Controller('api/v1/webhooks/email-events')
export class EmailEventsController {
  constructor(private readonly events: EmailEventsService) {}

  @Post()
  @ApiOperation({ summary: 'Report bounces and complaints (X-Webhook-Secret)' })
  @HttpCode(202)
  @UseGuards(EmailWebhookGuard)
  @ApiSecurity(EMAIL_WEBHOOK_SECURITY)
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'No valid X-Webhook-Secret' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'EMAIL_WEBHOOK_SECRET is not set' })
  @ApiAcceptedResponse({ description: 'Recorded (the same answer whether or not the address is known)' })
  async receive(@Body() event: EmailEventDto): Promise<{ status: 'accepted' }> {
    await this.events.record(event);
    return { status: 'accepted' };
  }
}
