import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { SyncPageQuery } from '../../common/pagination';
import { SingleLineText, SLUG_PATTERN, Trim } from '../../common/validators';
import { EVENT_STATUSES } from '../campaign-event.entity';
import type { EventStatus } from '../campaign-event.entity';
import { RSVP_STATUSES } from '../rsvp.entity';
import type { RsvpStatus } from '../rsvp.entity';

/** The canonical IANA name of a zone Intl knows (`europe/paris` → `Europe/Paris`), else null. */
export function canonicalTimeZone(value: string): string | null {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(value)) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

const IanaTimeZone = (): PropertyDecorator =>
  ValidateBy({
    name: 'isIanaTimeZone',
    validator: {
      validate: (v: unknown) => typeof v === 'string' && canonicalTimeZone(v) !== null,
      defaultMessage: () => 'timezone must be an IANA time zone name (e.g. Europe/Paris)',
    },
  });

const ISO_INSTANT = { strict: true, strictSeparator: true };
const ISO_MESSAGE = '$property must be an ISO 8601 date-time with a zone offset (e.g. 2026-12-01T18:00:00Z)';
/** A date-time string with an explicit offset: a bare local time would depend on the server's zone. */
const Instant = (): PropertyDecorator =>
  Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/, { message: ISO_MESSAGE });

const MAX_REMINDER_MINUTES = 60 * 24 * 60;

export class EventLocationDto {
  @ApiPropertyOptional({ example: 'Salle des fêtes', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @SingleLineText()
  name?: string;

  @ApiPropertyOptional({ example: '12 rue de la Paix, 75002 Paris', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @SingleLineText()
  address?: string;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  online?: boolean;

  @ApiPropertyOptional({ example: 'https://meet.example.org/summit' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true }, { message: 'url must be an http(s) URL' })
  url?: string;

  @ApiPropertyOptional({ default: false, description: 'Keep the address for attendees who are going' })
  @IsOptional()
  @IsBoolean()
  private?: boolean;
}

export class CreateEventDto {
  @ApiProperty({ example: 'paris-summit-2026', maxLength: 100 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @Matches(SLUG_PATTERN, { message: 'slug must be lower-case letters, digits and dashes' })
  slug!: string;

  @ApiProperty({ example: 'Paris summit', maxLength: 200 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  @SingleLineText()
  title!: string;

  @ApiPropertyOptional({ maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20000)
  description?: string;

  @ApiProperty({ example: '2026-12-01T18:00:00Z' })
  @IsISO8601(ISO_INSTANT, { message: ISO_MESSAGE })
  @Instant()
  startsAt!: string;

  @ApiProperty({ example: '2026-12-01T21:00:00Z' })
  @IsISO8601(ISO_INSTANT, { message: ISO_MESSAGE })
  @Instant()
  endsAt!: string;

  @ApiProperty({ example: 'Europe/Paris', description: 'IANA time zone name' })
  @IsString()
  @IanaTimeZone()
  timezone!: string;

  @ApiPropertyOptional({ type: EventLocationDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => EventLocationDto)
  location?: EventLocationDto;

  @ApiPropertyOptional({ nullable: true, minimum: 1, description: 'Seats, guests included; absent or null: no limit' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  capacity?: number | null;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  waitlist?: boolean;

  @ApiPropertyOptional({ type: [Number], example: [1440, 60], description: 'Minutes before the start' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(MAX_REMINDER_MINUTES, { each: true })
  reminders?: number[];

  @ApiPropertyOptional({ enum: EVENT_STATUSES, default: 'draft' })
  @IsOptional()
  @IsIn(EVENT_STATUSES, { message: `status must be one of ${EVENT_STATUSES.join(', ')}` })
  status?: EventStatus;
}

export class UpdateEventDto extends PartialType(CreateEventDto) {}

export class EventLocationResponse {
  @ApiPropertyOptional() name?: string;
  @ApiPropertyOptional() address?: string;
  @ApiProperty() online!: boolean;
  @ApiPropertyOptional() url?: string;
}

export class AdminEventLocationResponse extends EventLocationResponse {
  @ApiProperty() private!: boolean;
}

export class PublicEventResponse {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty() startsAt!: Date;
  @ApiProperty() endsAt!: Date;
  @ApiProperty() timezone!: string;
  @ApiProperty({ type: EventLocationResponse }) location!: EventLocationResponse;
  @ApiPropertyOptional() capacity?: number;
  @ApiPropertyOptional({ description: 'Seats left (guests count as seats); only when capacity is set' }) spotsLeft?: number;
  @ApiProperty() waitlist!: boolean;
  @ApiProperty({ enum: EVENT_STATUSES }) status!: EventStatus;
}

export class PublicEventPage {
  @ApiProperty({ type: [PublicEventResponse] }) items!: PublicEventResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class AdminEventResponse {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty() startsAt!: Date;
  @ApiProperty() endsAt!: Date;
  @ApiProperty() timezone!: string;
  @ApiProperty({ type: AdminEventLocationResponse }) location!: AdminEventLocationResponse;
  @ApiPropertyOptional({ nullable: true, type: Number }) capacity!: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) spotsLeft!: number | null;
  @ApiProperty() seatsTaken!: number;
  @ApiProperty() waitlist!: boolean;
  @ApiProperty({ type: [Number] }) reminders!: number[];
  @ApiProperty({ enum: EVENT_STATUSES }) status!: EventStatus;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) cancelledAt!: Date | null;
}

export class AdminEventPage {
  @ApiProperty({ type: [AdminEventResponse] }) items!: AdminEventResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class RsvpPageQuery extends SyncPageQuery {
  @ApiPropertyOptional({ enum: RSVP_STATUSES })
  @IsOptional()
  @IsIn(RSVP_STATUSES, { message: `status must be one of ${RSVP_STATUSES.join(', ')}` })
  status?: RsvpStatus;
}

export class UpdateRsvpDto {
  @ApiProperty({ nullable: true, type: Boolean, description: 'Whether the person came; null: not recorded' })
  @ValidateBy({
    name: 'isBooleanOrNull',
    validator: {
      validate: (v: unknown) => v === null || typeof v === 'boolean',
      defaultMessage: () => 'attended must be true, false or null',
    },
  })
  attended!: boolean | null;
}

export class AdminRsvpResponse {
  @ApiProperty() id!: string;
  @ApiProperty() eventId!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Null once the person was erased' }) personId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) email!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) givenName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) familyName!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) country!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) language!: string | null;
  @ApiProperty() guests!: number;
  @ApiProperty({ enum: RSVP_STATUSES }) status!: RsvpStatus;
  @ApiPropertyOptional({ nullable: true, type: Boolean }) attended!: boolean | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Order on the waitlist (lower first)' })
  waitlistPosition!: number | null;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: Date }) confirmedAt!: Date | null;
  @ApiPropertyOptional({ nullable: true, type: Date }) cancelledAt!: Date | null;
  @ApiProperty({ description: 'Last change a sync should see (status, seat, attendance, erasure)' }) modifiedAt!: Date;
}

export class AdminRsvpPage {
  @ApiProperty({ type: [AdminRsvpResponse] }) items!: AdminRsvpResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}
