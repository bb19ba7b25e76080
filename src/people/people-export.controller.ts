import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { Auth } from '../organizers/auth.guard';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { PeopleFilterQuery } from './dto/people.dto';
import type { PeopleCsvOptionalColumn } from './people.repository';
import { PeopleService } from './people.service';

export class PeopleExportQuery extends PeopleFilterQuery {
  @ApiPropertyOptional({
    enum: ['0', '1'],
    default: '0',
    description: 'UTF-8 byte order mark first: 1 for Excel (it needs it for Arabic); none by default, for programs',
  })
  @IsOptional()
  @IsIn(['0', '1'], { message: 'bom must be 0 or 1' })
  bom?: '0' | '1';

  @ApiPropertyOptional({
    example: 'lists,tags',
    description: 'Extra columns: lists (subscribed list slugs) and/or tags, space-separated in the cell',
  })
  @IsOptional()
  @Matches(/^(lists|tags)(,(lists|tags))?$/, { message: 'include must be lists, tags or lists,tags' })
  include?: string;
}

@ApiTags('admin: exports')
@Auth('organizer')
@Controller('api/v1/admin/exports')
export class PeopleExportController {
  constructor(private readonly people: PeopleService) {}

  @Get('people.csv')
  @ApiOperation({ summary: 'Export people as CSV (streamed)' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'id,email,givenName,familyName,country,postalCode,language,confirmedAt,createdAt[,lists][,tags]' })
  async peopleCsv(@Query() query: PeopleExportQuery, @Req() req: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    const { bom, include, ...filters } = query;
    const columns = [...new Set(include?.split(',') ?? [])] as PeopleCsvOptionalColumn[];
    await this.people.exportCsv(req, reply, filters, { bom: bom === '1', include: columns });
  }
}
