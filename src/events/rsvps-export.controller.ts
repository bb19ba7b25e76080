import { UuidPipe } from '../common/uuid.pipe';
import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiPropertyOptional, ApiTags, IntersectionType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { Auth } from '../organizers/auth.guard';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PeopleExportQuery } from '../people/people-export.controller';
import { RSVP_STATUSES } from './rsvp.entity';
import type { RsvpStatus } from './rsvp.entity';
import { RsvpsExportService } from './rsvps-export.service';

class RsvpStatusQuery {
  @ApiPropertyOptional({ enum: RSVP_STATUSES })
  @IsOptional()
  @IsIn(RSVP_STATUSES, { message: `status must be one of ${RSVP_STATUSES.join(', ')}` })
  status?: RsvpStatus;
}

export class RsvpsExportQuery extends IntersectionType(RsvpStatusQuery, PickType(PeopleExportQuery, ['bom'] as const)) {}

@ApiTags('admin: exports')
@Auth('organizer')
@Controller('api/v1/admin/exports')
export class RsvpsExportController {
  constructor(private readonly rsvps: RsvpsExportService) {}

  @Get('events/:id/rsvps.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description:
      'id,personId,email,givenName,familyName,country,language,guests,status,attended,waitlistPosition,createdAt,confirmedAt,cancelledAt',
  })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async rsvpsCsv(
    @Param('id', UuidPipe) id: string,
    @Query() query: RsvpsExportQuery,
    @Req() req: AuthenticatedRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { bom, ...filters } = query;
    await this.rsvps.exportCsv(req, reply, id, filters, bom === '1');
  }
}
