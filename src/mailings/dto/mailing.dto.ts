import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import { LanguageTag, SingleLineText, SLUG_PATTERN, Trim } from '../../common/validators';
import { MailingStats } from '../mailings.repository';

const upperEach = ({ value }: { value: unknown }): unknown =>
  Array.isArray(value) ? (value as unknown[]).map((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v)) : value;

export class AudienceDto {
  @ApiProperty({ type: [String], description: 'list slugs; at least one' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(SLUG_PATTERN, { each: true, message: 'each list must be a list slug' })
  lists!: string[];

  @ApiPropertyOptional({ type: [String], description: 'ISO 3166-1 alpha-2 codes; narrows the audience' })
  @IsOptional()
  @Transform(upperEach)
  @IsArray()
  @ArrayMaxSize(250)
  @Matches(/^[A-Z]{2}$/, { each: true, message: 'each country must be an ISO 3166-1 alpha-2 code' })
  countries?: string[];

  @ApiPropertyOptional({ type: [String], description: 'language tags (matched on the primary language); narrows the audience' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @LanguageTag({ each: true })
  languages?: string[];

  @ApiPropertyOptional({ type: [String], description: 'petition ids: only people who signed one of them' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  petitions?: string[];

  @ApiPropertyOptional({ type: [String], description: 'event ids: only people going to (or who attended) one of them' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  events?: string[];
}

export class CreateMailingDto {
  @ApiProperty({ maxLength: 200 })
  @Trim()
  @IsString()
  @Length(1, 200)
  @SingleLineText()
  name!: string;

  @ApiProperty({ type: AudienceDto })
  @ValidateNested()
  @Type(() => AudienceDto)
  audience!: AudienceDto;

  @ApiProperty({
    description:
      '{LANG: {subject, html, text?}}. Templates may use {{givenName}}, {{unsubscribeUrl}}, {{preferencesUrl}}, {{listName}}, {{mailingName}} and nothing else.',
    example: { en: { subject: 'News for {{givenName}}', html: '<p>Hello {{givenName}}</p>' } },
  })
  @IsObject()
  content!: Record<string, { subject: string; html: string; text?: string }>;

  @ApiProperty({ example: 'en' })
  @IsString()
  @LanguageTag()
  defaultLanguage!: string;

  @ApiPropertyOptional({ description: 'ISO 8601; POST .../send waits until then when it is in the future' })
  @IsOptional()
  @IsISO8601({ strict: true })
  sendAt?: string;
}

export class MailingStatsResponse implements MailingStats {
  @ApiProperty() recipients!: number;
  @ApiProperty() sent!: number;
  @ApiProperty() failed!: number;
  @ApiProperty() bounced!: number;
  @ApiProperty() unsubscribed!: number;
  @ApiProperty({
    description:
      'planned but not sent: no longer in the audience (unsubscribed, RSVP cancelled...), suppressed or erased by the time their batch went out',
  })
  skipped!: number;
  @ApiProperty() complaints!: number;
  @ApiProperty({ description: 'not sent yet' }) pending!: number;
  @ApiProperty({ description: 'counted in sent: a worker died while handing them to SMTP; assumed delivered, never resent' })
  uncertain!: number;
}

export class MailingResponse {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] }) status!: string;
  @ApiProperty() audience!: { lists: string[]; countries: string[]; languages: string[]; petitions: string[]; events: string[] };
  @ApiProperty() content!: Record<string, { subject: string; html: string; text?: string }>;
  @ApiProperty() defaultLanguage!: string;
  @ApiProperty({ nullable: true, type: String }) sendAt!: Date | null;
  @ApiProperty({ type: MailingStatsResponse }) stats!: MailingStatsResponse;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ nullable: true, type: String }) startedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) finishedAt!: Date | null;
  @ApiProperty({ nullable: true, type: String }) cancelledAt!: Date | null;
}

export class MailingPage {
  @ApiProperty({ type: [MailingResponse] }) items!: MailingResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
