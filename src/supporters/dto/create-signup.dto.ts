import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, Equals, IsArray, IsISO31661Alpha2, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { EmailAddress, LanguageTag, SingleLineText, SLUG_PATTERN, Trim, UpperCase } from '../../common/validators';

export class CreateSignupDto {
  @ApiProperty({ example: 'amal@example.org', maxLength: 254 })
  @EmailAddress()
  email!: string;

  @ApiPropertyOptional({ example: 'أمل', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @SingleLineText()
  givenName?: string;

  @ApiPropertyOptional({ example: 'Haddad', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @SingleLineText()
  familyName?: string;

  @ApiPropertyOptional({ example: 'LB', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @UpperCase()
  @IsString()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;

  @ApiPropertyOptional({ example: '1107', maxLength: 20 })
  @IsOptional()
  @Trim()
  @IsString()
  @MaxLength(20)
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} -]*$/u, { message: 'postalCode must hold letters, digits, spaces and dashes only' })
  postalCode?: string;

  @ApiPropertyOptional({ example: 'ar', description: 'BCP 47 tag' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  @LanguageTag()
  language?: string;

  @ApiPropertyOptional({ type: [String], example: ['movement'], description: 'List slugs; the default list when absent' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(SLUG_PATTERN, { each: true, message: 'lists must hold list slugs' })
  lists?: string[];

  @ApiProperty({ example: true, description: 'Must be true: the supporter agrees to the join text' })
  @Equals(true, { message: 'consent must be true' })
  consent!: boolean;

  @ApiPropertyOptional({ example: 'homepage-form', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @SingleLineText()
  source?: string;

  /** Honeypot: invisible in forms; a value means a bot filled it in. */
  @ApiPropertyOptional({ description: 'Leave empty (anti-spam field hidden from people)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  website?: string;
}

export class PendingResponse {
  @ApiProperty({ example: 'pending' })
  status!: 'pending';
}
