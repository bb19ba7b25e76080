import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateNested,
  ValidationArguments,
  ValidationOptions,
} from 'class-validator';
import { LanguageTag, SingleLineText, SLUG_PATTERN, Trim } from '../../common/validators';
import { MailingStats } from '../mailings.repository';
import { templateProblems } from '../newsletter-template';

const MAX_TEMPLATE = 512 * 1024;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;
const NOT_BLANK = /\S/;

/** A newsletter template part: only the fixed variables, no partials, no raw output. */
const SafeTemplate =
  (options?: ValidationOptions): PropertyDecorator =>
  (target, propertyName) =>
    registerDecorator({
      name: 'safeTemplate',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || templateProblems(value).length === 0,
        defaultMessage: (args?: ValidationArguments) =>
          typeof args?.value === 'string' ? (templateProblems(args.value)[0] ?? 'invalid template') : 'invalid template',
      },
    });

/** One language of a newsletter. Validated as a nested DTO so each bad part is its own detail. */
/** A display name that cannot smuggle an address or a header: no <>@" nor control characters. */
export const PROTECTED_FROM_NAME = /^[^<>@"\\\p{Cc}]{1,100}$/u;

export class MailingVariantDto {
  @ApiProperty({ maxLength: 300 })
  @IsString()
  @Matches(NOT_BLANK, { message: 'subject must be one line of 1 to 300 characters' })
  @MaxLength(300, { message: 'subject must be one line of 1 to 300 characters' })
  @SingleLineText({ message: 'subject must be one line of 1 to 300 characters' })
  @SafeTemplate()
  subject!: string;

  @ApiProperty()
  @IsString()
  @Matches(NOT_BLANK, { message: 'html must be a non-empty string of at most 512 KiB' })
  @MaxLength(MAX_TEMPLATE, { message: 'html must be a non-empty string of at most 512 KiB' })
  @SafeTemplate()
  html!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TEMPLATE, { message: 'text must be a string of at most 512 KiB' })
  @SafeTemplate()
  text?: string;

  @ApiPropertyOptional({ maxLength: 300, description: 'Subject for protected recipients instead of `subject` (docs/safety.md)' })
  @IsOptional()
  @IsString()
  @Matches(NOT_BLANK, { message: 'protectedSubject must be one line of 1 to 300 characters' })
  @MaxLength(300, { message: 'protectedSubject must be one line of 1 to 300 characters' })
  @SingleLineText({ message: 'protectedSubject must be one line of 1 to 300 characters' })
  @SafeTemplate()
  protectedSubject?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    example: 'Newsletter',
    description: "Sender's display name for protected recipients (MAIL_FROM's address)",
  })
  @IsOptional()
  @IsString()
  @Matches(PROTECTED_FROM_NAME, { message: 'protectedFromName must be 1 to 100 characters, without <>@" or line breaks' })
  protectedFromName?: string;
}

/**
 * `{LANG: {...}}` becomes a Map of variant DTOs: class-validator validates a Map's values one
 * by one and names them by key, so a bad subject is reported as `content.en.subject` in the
 * same 400 as every other bad field. A value that is not an object stays as it is and is
 * refused as `content.LANG`.
 */
const toVariantMap = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return new Map(
    Object.entries(value as Record<string, unknown>).map(([lang, v]) => [
      lang,
      typeof v === 'object' && v !== null && !Array.isArray(v) ? plainToInstance(MailingVariantDto, v) : v,
    ]),
  );
};

const MailingContent = (): PropertyDecorator => (target, propertyName) =>
  registerDecorator({
    name: 'mailingContent',
    target: target.constructor,
    propertyName: propertyName as string,
    validator: {
      validate: (value: unknown) =>
        value instanceof Map && value.size >= 1 && value.size <= 20 && [...value.keys()].every((k) => LANGUAGE_TAG.test(String(k))),
      defaultMessage: (args?: ValidationArguments) =>
        args?.value instanceof Map && args.value.size >= 1 && args.value.size <= 20
          ? 'each key of content must be a language tag'
          : 'content must be an object of 1 to 20 languages',
    },
  });

/** The default language must be one of the content's languages. */
const InContent = (): PropertyDecorator => (target, propertyName) =>
  registerDecorator({
    name: 'inContent',
    target: target.constructor,
    propertyName: propertyName as string,
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const content = (args?.object as { content?: unknown } | undefined)?.content;
        return !(content instanceof Map) || content.has(value);
      },
      defaultMessage: () => 'defaultLanguage must be one of the languages in content',
    },
  });

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

@ApiExtraModels(MailingVariantDto)
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
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(MailingVariantDto) },
    description:
      '{LANG: {subject, html, text?}}. Templates may use {{givenName}}, {{unsubscribeUrl}}, {{preferencesUrl}}, {{listName}}, {{mailingName}} and nothing else.',
    example: { en: { subject: 'News for {{givenName}}', html: '<p>Hello {{givenName}}</p>' } },
  })
  @Transform(toVariantMap)
  @MailingContent()
  @ValidateNested()
  content!: Map<string, MailingVariantDto>;

  @ApiProperty({ example: 'en' })
  @IsString()
  @LanguageTag()
  @InContent()
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
