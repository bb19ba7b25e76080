import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateNested } from 'class-validator';
import { NamedRequestDto } from '../../actions/named-request.dto';
import {
  CountryField,
  HoneypotField,
  ProtectIdentityField,
  LanguageField,
  PostalCodeField,
  ProofOfWorkField,
} from '../../common/person-fields';
import { SingleLineText, Trim } from '../../common/validators';

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

export class SignPetitionDto extends NamedRequestDto {
  @CountryField({ required: true })
  country!: string;

  @PostalCodeField()
  postalCode?: string;

  @ApiPropertyOptional({ maxLength: COMMENT_MAX, description: 'Shown with the name when publicName is true' })
  @IsOptional()
  // A browser's textarea sends CRLF line breaks: they become \n, so only \n is ever stored.
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().replace(/\r\n/g, '\n') : value))
  @IsString()
  @MaxLength(COMMENT_MAX)
  // Line breaks are fine in a comment; other control characters (a lone CR too) and bidi overrides are not.
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

  @LanguageField()
  language?: string;

  @ApiPropertyOptional({ type: ReferrerDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ReferrerDto)
  referrer?: ReferrerDto;

  @ProtectIdentityField()
  protectIdentity?: boolean;

  @HoneypotField()
  website?: string;

  @ProofOfWorkField()
  altcha?: string;
}
