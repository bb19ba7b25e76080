import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateBy } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { LanguageTag, SingleLineText, SLUG_PATTERN, Trim } from '../../common/validators';
import { PETITION_STATUSES } from '../petition.entity';
import type { PetitionStatus, PetitionTranslations } from '../petition.entity';

export const LIMITS = { title: 200, summary: 2_000, body: 50_000, target: 200 } as const;
const LANGUAGE_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;

function translationProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'translations must be an object keyed by language';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > 20) return 'translations may hold at most 20 languages';
  for (const [lang, content] of entries) {
    if (!LANGUAGE_TAG.test(lang)) return `translations key ${lang.slice(0, 40)} is not a BCP 47 language tag`;
    if (typeof content !== 'object' || content === null || Array.isArray(content)) return `translations.${lang} must be an object`;
    const keys = Object.keys(content);
    const extra = keys.filter((k) => !['title', 'summary', 'body'].includes(k));
    if (extra.length > 0) return `translations.${lang} has unknown fields: ${extra.join(', ').slice(0, 80)}`;
    for (const field of ['title', 'summary', 'body'] as const) {
      const text = (content as Record<string, unknown>)[field];
      if (typeof text !== 'string' || text.trim() === '') return `translations.${lang}.${field} must be a non-empty string`;
      if (text.length > LIMITS[field]) return `translations.${lang}.${field} must be at most ${LIMITS[field]} characters`;
      const pattern = field === 'title' ? /^[^\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]*$/u : /^[^\u202A-\u202E\u2066-\u2069]*$/u;
      if (!pattern.test(text)) return `translations.${lang}.${field} holds characters that are not allowed`;
    }
  }
  return null;
}

const Translations = (): PropertyDecorator =>
  ValidateBy({
    name: 'isPetitionTranslations',
    validator: {
      validate: (v: unknown) => translationProblem(v) === null,
      defaultMessage: (args) => translationProblem(args?.value) ?? 'translations are not valid',
    },
  });

export class TranslationContent {
  @ApiProperty() title!: string;
  @ApiProperty() summary!: string;
  @ApiProperty() body!: string;
}

export class CreatePetitionDto {
  @ApiProperty({ example: 'free-the-press', description: 'Unique, URL-safe: lower-case letters, digits and dashes' })
  @Trim()
  @IsString()
  @MaxLength(100)
  @Matches(SLUG_PATTERN, { message: 'slug must hold lower-case letters, digits and single dashes' })
  slug!: string;

  @ApiProperty({ maxLength: LIMITS.title })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.title)
  @SingleLineText()
  title!: string;

  @ApiProperty({ maxLength: LIMITS.summary })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.summary)
  @Matches(/^[^\u202A-\u202E\u2066-\u2069]*$/u, { message: 'summary must not hold direction-override characters' })
  summary!: string;

  @ApiProperty({ maxLength: LIMITS.body })
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.body)
  @Matches(/^[^\u202A-\u202E\u2066-\u2069]*$/u, { message: 'body must not hold direction-override characters' })
  body!: string;

  @ApiProperty({ maxLength: LIMITS.target, description: 'Who the petition is addressed to' })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(LIMITS.target)
  @SingleLineText()
  target!: string;

  @ApiProperty({ example: 1000, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000_000)
  goal!: number;

  @ApiPropertyOptional({ default: false, description: 'Keep this goal once reached (no automatic next goal)' })
  @IsOptional()
  @IsBoolean()
  goalFixed?: boolean;

  @ApiProperty({ example: 'en', description: 'BCP 47 tag of the content' })
  @IsString()
  @MaxLength(35)
  @LanguageTag()
  language!: string;

  @ApiPropertyOptional({ enum: PETITION_STATUSES, default: 'draft' })
  @IsOptional()
  @IsIn(PETITION_STATUSES, { message: `status must be one of ${PETITION_STATUSES.join(', ')}` })
  status?: PetitionStatus;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/TranslationContent' },
    example: { ar: { title: '...', summary: '...', body: '...' } },
  })
  @IsOptional()
  @Translations()
  translations?: PetitionTranslations;
}

export class UpdatePetitionDto extends PartialType(CreatePetitionDto) {}

export class AdminPetitionResponse {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() title!: string;
  @ApiProperty() summary!: string;
  @ApiProperty() body!: string;
  @ApiProperty() target!: string;
  @ApiProperty({ description: 'The goal shown to supporters (the next rung once the set goal is reached, unless fixed)' }) goal!: number;
  @ApiProperty({ description: 'The goal the organizer set' }) goalSet!: number;
  @ApiProperty() goalFixed!: boolean;
  @ApiProperty() signatureCount!: number;
  @ApiProperty({ enum: PETITION_STATUSES }) status!: PetitionStatus;
  @ApiProperty() language!: string;
  @ApiProperty({ type: 'object', additionalProperties: { $ref: '#/components/schemas/TranslationContent' } })
  translations!: PetitionTranslations;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class AdminPetitionPage {
  @ApiProperty({ type: [AdminPetitionResponse] }) items!: AdminPetitionResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class PublicPetitionResponse {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() title!: string;
  @ApiProperty() summary!: string;
  @ApiProperty() body!: string;
  @ApiProperty() target!: string;
  @ApiProperty() goal!: number;
  @ApiProperty() signatureCount!: number;
  @ApiProperty({ enum: ['open', 'closed'] }) status!: PetitionStatus;
  @ApiProperty({ description: 'Language of the content served' }) language!: string;
  @ApiProperty() createdAt!: string;
}

export class PublicPetitionPage {
  @ApiProperty({ type: [PublicPetitionResponse] }) items!: PublicPetitionResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

export class LanguageQuery {
  @ApiPropertyOptional({ example: 'ar', description: 'Language of the content; else Accept-Language; else the petition’s own' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  @LanguageTag({ message: 'lang must be a BCP 47 language tag' })
  lang?: string;
}

export class PublicPetitionsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'ar' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  @LanguageTag({ message: 'lang must be a BCP 47 language tag' })
  lang?: string;
}

export class PublicSignersQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit = 20;
}

export class PublicSigner {
  @ApiProperty({ example: 'Amal H.', description: 'Given name and the family name’s initial' }) name!: string;
  @ApiProperty({ example: 'LB' }) country!: string;
  @ApiPropertyOptional() comment?: string;
  @ApiProperty() createdAt!: string;
}

export class PublicSignerList {
  @ApiProperty({ type: [PublicSigner] }) items!: PublicSigner[];
}
