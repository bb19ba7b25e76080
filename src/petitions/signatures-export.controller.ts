import { UuidPipe } from '../common/uuid.pipe';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags, IntersectionType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { Auth } from '../organizers/auth.guard';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PeopleExportQuery } from '../people/people-export.controller';
import { SIGNATURE_STATUSES } from './signature.entity';
import type { SignatureStatus } from './signature.entity';
import { SignaturesExportService } from './signatures-export.service';

class SignatureStatusQuery {
  @ApiPropertyOptional({ enum: SIGNATURE_STATUSES })
  @IsOptional()
  @IsIn(SIGNATURE_STATUSES, { message: `status must be one of ${SIGNATURE_STATUSES.join(', ')}` })
  status?: SignatureStatus;
}

export class SignaturesExportQuery extends IntersectionType(
  SignatureStatusQuery,
  PickType(PeopleExportQuery, ['country', 'language', 'bom'] as const),
) {}

@ApiTags('admin: exports')
@Auth('organizer')
@Controller('api/v1/admin/exports')
export class SignaturesExportController {
  constructor(private readonly signatures: SignaturesExportService) {}

  @Get('petitions/:id/signatures.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'id,email,givenName,familyName,country,postalCode,language,comment,publicName,subscribe,referrerSource,referrerMedium,referrerCampaign,referrerUrl,status,createdAt,confirmedAt',
  })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async signaturesCsv(
    @Param('id', UuidPipe) id: string,
    @Query() query: SignaturesExportQuery,
    @Req() req: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { bom, ...filters } = query;
    await this.signatures.exportCsv(req, reply, id, filters, bom === '1');
  }
}
