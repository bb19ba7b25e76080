import { UuidPipe } from '../common/uuid.pipe';
import { Controller, Delete, Get, HttpCode, Param, Put, Query, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.interceptor';
import { AuditService } from '../audit/audit.service';
import { Auth } from '../organizers/auth.guard';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { auditableFilters } from '../exports/csv-export.service';
import { PeopleListQuery, PeoplePage, PersonDetailResponse, TagParams } from './dto/people.dto';
import { ErasePersonService } from './erase-person.service';
import type { PersonRow, Tombstone } from './people.repository';
import type { Page } from '../common/pagination';
import { PeopleService } from './people.service';

@ApiTags('admin: people')
@Auth('organizer')
@Controller('api/v1/admin/people')
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly erasure: ErasePersonService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'List people (or sync what changed)',
    description:
      'Newest first; with `modifiedSince`, the people changed at or after that time, oldest change first, with `{id, erased: true}` for people erased since',
  })
  @ApiOkResponse({ type: PeoplePage })
  async list(@Query() query: PeopleListQuery, @Req() req: AuthenticatedRequest): Promise<Page<PersonRow | Tombstone>> {
    const { limit, cursor, modifiedSince, ...filters } = query;
    const page = await this.people.list(filters, limit, cursor, modifiedSince);
    // A page of people is personal data in bulk: who looked, with which filters, how many.
    await this.audit.record(req, {
      action: 'people.list',
      targetType: 'person',
      details: { filters: auditableFilters(filters), ...(modifiedSince ? { modifiedSince } : {}), rows: page.items.length },
    });
    return page;
  }

  /** One record, not personal data in bulk: viewers may read it (audited like any read). */
  @Get(':id')
  @Auth('viewer')
  @Audited('person.read', 'person')
  @ApiOkResponse({ type: PersonDetailResponse })
  detail(@Param('id', UuidPipe) id: string): Promise<unknown> {
    return this.people.detail(id);
  }

  @Get(':id/export')
  @Audited('person.access-export', 'person')
  @ApiOkResponse({ description: 'Everything held about the person (subject access), as JSON' })
  accessExport(@Param('id', UuidPipe) id: string): Promise<unknown> {
    return this.people.accessExport(id);
  }

  @Put(':id/tags/:tag')
  @Audited('person.tag', 'person')
  @HttpCode(204)
  @ApiNoContentResponse()
  async tag(@Param() params: TagParams): Promise<void> {
    await this.people.tag(params.id, params.tag);
  }

  @Delete(':id/tags/:tag')
  @Audited('person.untag', 'person')
  @HttpCode(204)
  @ApiNoContentResponse()
  async untag(@Param() params: TagParams): Promise<void> {
    await this.people.untag(params.id, params.tag);
  }

  /** Erasure is people work, so organizers may do it; it cannot be undone, and is audited. */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Personal data erased; the address kept only as a keyed hash to suppress mail' })
  async erase(@Param('id', UuidPipe) id: string, @Req() req: AuthenticatedRequest): Promise<void> {
    await this.erasure.erase(req, id);
  }
}
