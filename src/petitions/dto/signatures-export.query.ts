import { ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PeopleExportQuery } from '../../people/people-export.controller';
import { SIGNATURE_STATUSES } from '../signature.entity';
import type { SignatureStatus } from '../signature.entity';

class SignatureStatusQuery {
  @ApiPropertyOptional({ enum: SIGNATURE_STATUSES })
  @IsOptional()
  @IsIn(SIGNATURE_STATUSES, { message: `status must be one of ${SIGNATURE_STATUSES.join(', ')}` })
  status?: SignatureStatus;
}

/** The filters of a petition's signature export (the signature's own typed country and language) and the BOM switch. */
export class SignaturesExportQuery extends IntersectionType(
  SignatureStatusQuery,
  PickType(PeopleExportQuery, ['country', 'language', 'bom'] as const),
) {}
