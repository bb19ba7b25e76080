import { ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PeopleExportQuery } from '../../people/people-export.controller';
import { RSVP_STATUSES } from '../rsvp.entity';
import type { RsvpStatus } from '../rsvp.entity';

class RsvpStatusQuery {
  @ApiPropertyOptional({ enum: RSVP_STATUSES })
  @IsOptional()
  @IsIn(RSVP_STATUSES, { message: `status must be one of ${RSVP_STATUSES.join(', ')}` })
  status?: RsvpStatus;
}

/** The filter of an event's RSVP export and the BOM switch. */
export class RsvpsExportQuery extends IntersectionType(RsvpStatusQuery, PickType(PeopleExportQuery, ['bom'] as const)) {}
