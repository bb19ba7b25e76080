import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CHANGE_TYPES } from '../../changes/change-types';
import type { ChangeType } from '../../changes/change-types';
import { DELIVERY_STATUSES } from '../webhook-delivery.entity';
import type { DeliveryStatus } from '../webhook-delivery.entity';

export class CreateWebhookDto {
  @ApiProperty({
    example: 'https://hooks.example.org/campaign',
    description: 'http(s); https only in production; must resolve to public addresses',
  })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiProperty({ enum: CHANGE_TYPES, isArray: true, example: ['person.confirmed', 'signature.confirmed'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(CHANGE_TYPES.length)
  @ArrayUnique()
  @IsIn(CHANGE_TYPES, { each: true, message: `events must each be one of ${CHANGE_TYPES.join(', ')}` })
  events!: ChangeType[];

  @ApiPropertyOptional({
    default: false,
    description: "Payloads carry the person's address, names, country, postal code and language too (admins only)",
  })
  @IsOptional()
  @IsBoolean()
  includePersonalData?: boolean;
}

export class WebhookResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: CHANGE_TYPES, isArray: true }) events!: string[];
  @ApiProperty() includePersonalData!: boolean;
  @ApiProperty({ enum: ['active', 'disabled'], description: 'disabled: its deliveries kept failing, nothing more is sent' })
  status!: 'active' | 'disabled';
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) disabledAt!: Date | null;
}

export class CreatedWebhookResponse extends WebhookResponse {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The Standard Webhooks signing secret, shown this once',
  })
  secret!: string;
}

export class WebhookPage {
  @ApiProperty({ type: [WebhookResponse] }) items!: WebhookResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class DeliveryAttemptResponse {
  @ApiProperty() at!: string;
  @ApiProperty({ nullable: true, type: Number, description: "The receiver's HTTP status; null when no answer came" })
  responseStatus!: number | null;
}

export class DeliveryResponse {
  @ApiProperty({ format: 'uuid', description: 'The webhook-id header of every attempt' }) id!: string;
  @ApiProperty({ enum: [...CHANGE_TYPES, 'webhook.test'] }) type!: string;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status!: DeliveryStatus;
  @ApiProperty({ type: [DeliveryAttemptResponse] }) attempts!: DeliveryAttemptResponse[];
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date, description: 'When the next attempt is due (pending only)' })
  nextAttemptAt!: Date | null;
}

export class DeliveryPage {
  @ApiProperty({ type: [DeliveryResponse] }) items!: DeliveryResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

// ---- the payloads, as receivers see them (documented in the OpenAPI components) ----------

export class WebhookPersonData {
  @ApiPropertyOptional({ nullable: true, type: String }) email!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) givenName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) familyName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) country!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) postalCode!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) language!: string | null;
}

export class WebhookEventData {
  @ApiPropertyOptional({ format: 'uuid', description: 'Every person.*, signature.* and rsvp.* event' }) personId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'signature.confirmed' }) petitionId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'signature.confirmed' }) signatureId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'rsvp.*' }) eventId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'rsvp.*' }) rsvpId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'mailing.sent' }) mailingId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'person.unsubscribed: the list left' }) listId?: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'webhook.test' }) webhookId?: string;
  @ApiPropertyOptional({
    type: WebhookPersonData,
    description: 'Only for a webhook created with includePersonalData, while the person exists',
  })
  person?: WebhookPersonData;
}

/**
 * The body of every webhook request (POST, application/json), signed per the Standard
 * Webhooks spec: `webhook-id` (the delivery's id, the same on every retry),
 * `webhook-timestamp` (of the attempt, seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256>`
 * of `id.timestamp.body` under the secret).
 */
@ApiExtraModels(WebhookEventData, WebhookPersonData)
export class WebhookPayload {
  @ApiProperty({ enum: [...CHANGE_TYPES, 'webhook.test'], example: 'signature.confirmed' }) type!: string;
  @ApiProperty({ format: 'date-time', description: 'When the change was committed (the same on every retry)' }) timestamp!: string;
  @ApiProperty({ allOf: [{ $ref: getSchemaPath(WebhookEventData) }] }) data!: WebhookEventData;
}
