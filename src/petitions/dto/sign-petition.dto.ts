import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsISO31661Alpha2,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { EmailAddress, LanguageTag, SingleLineText, Trim, UpperCase } from '../../common/validators';

export const COMMENT_MAX = 1_000;

export class ReferrerDto {
  @ApiPropertyOptional({ example: 'newsletter', maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  @SingleLineText()
  source?: string;

  @ApiPropertyOptional({ example: 'email', maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  @SingleLineText()
  medium?: string;

  @ApiPropertyOptional({ example: 'press-freedom-2026', maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  @SingleLineText()
  campaign?: string;

  @ApiPropertyOptional({ example: 'https://partner.example/article', maxLength: 2000 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(2000)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  url?: string;
}

export class SignPetitionDto {
  @ApiProperty({ example: 'amal@example.org', maxLength: 254 })
  @EmailAddress()
  email!: string;

  @ApiProperty({ example: 'أمل', maxLength: 100 })
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @SingleLineText()
  givenName!: string;

  @ApiPropertyOptional({ example: 'Haddad', maxLength: 100 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(100)
  @SingleLineText()
  familyName?: string;

  @ApiProperty({ example: 'LB', description: 'ISO 3166-1 alpha-2' })
  @UpperCase()
  @IsString()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country!: string;

  @ApiPropertyOptional({ example: '1107', maxLength: 20 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(20)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u, { message: 'postalCode must hold letters, digits, spaces and dashes only' })
  postalCode?: string;

  @ApiPropertyOptional({ maxLength: COMMENT_MAX, description: 'Shown with the name when publicName is true' })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(COMMENT_MAX)
  // Line breaks are fine in a comment; other control characters and bidi overrides are not.
  @Matches(/^(?:[^\p{Cc}\u202A-\u202E\u2066-\u2069]|\n)*$/u, {
    message: 'comment must not hold control or direction-override characters',
  })
  comment?: string;

  @ApiPropertyOptional({ default: false, description: 'Show the given name and family initial in the public signer list' })
  @IsOptional()
  @IsBoolean()
  publicName?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Also join the movement’s default list (same confirmation)' })
  @IsOptional()
  @IsBoolean()
  subscribe?: boolean;

  @ApiPropertyOptional({ example: 'ar', description: 'BCP 47 tag' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  @LanguageTag()
  language?: string;

  @ApiPropertyOptional({ type: ReferrerDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferrerDto)
  referrer?: ReferrerDto;

  /** Honeypot, as on the join form: invisible in forms; a value means a bot filled it in. */
  @ApiPropertyOptional({ description: 'Leave empty (anti-spam field hidden from people)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  website?: string;
}
