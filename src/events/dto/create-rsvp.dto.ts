import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsISO31661Alpha2, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { EmailAddress, LanguageTag, SingleLineText, Trim, UpperCase } from '../../common/validators';

export class CreateRsvpDto {
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

  @ApiPropertyOptional({ minimum: 0, maximum: 10, default: 0, description: 'People coming with you (each takes a seat)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(10)
  guests?: number;

  @ApiPropertyOptional({ default: false, description: 'Also join the movement’s default list, under the same confirmation' })
  @IsOptional()
  @IsBoolean()
  subscribe?: boolean;

  @ApiPropertyOptional({ example: 'ar', description: 'BCP 47 tag' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  @LanguageTag()
  language?: string;
}
