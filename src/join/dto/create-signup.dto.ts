import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, Equals, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import {
  CountryField,
  EmailField,
  HoneypotField,
  LanguageField,
  NameField,
  PostalCodeField,
  ProofOfWorkField,
  ProtectIdentityField,
} from '../../common/person-fields';
import { SingleLineText, SLUG_PATTERN } from '../../common/validators';

export class CreateSignupDto {
  @EmailField()
  email!: string;

  @NameField({ example: 'أمل' })
  givenName?: string;

  @NameField({ example: 'Haddad' })
  familyName?: string;

  @CountryField()
  country?: string;

  @PostalCodeField()
  postalCode?: string;

  @LanguageField()
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

  @ProtectIdentityField()
  protectIdentity?: boolean;

  @HoneypotField()
  website?: string;

  @ProofOfWorkField()
  altcha?: string;
}
