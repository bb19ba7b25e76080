import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { NamedRequestDto } from '../../actions/named-request.dto';
import { CountryField, HoneypotField, ProtectIdentityField, LanguageField, ProofOfWorkField } from '../../common/person-fields';

export class CreateRsvpDto extends NamedRequestDto {
  @CountryField()
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

  @LanguageField()
  language?: string;

  @ProtectIdentityField()
  protectIdentity?: boolean;

  @HoneypotField()
  website?: string;

  @ProofOfWorkField()
  altcha?: string;
}
