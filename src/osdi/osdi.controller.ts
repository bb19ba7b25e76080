import {
  Body,
  CallHandler,
  Controller,
  Delete,
  ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  NestInterceptor,
  Param,
  Post,
  Put,
  Query,
  Req,
  Type,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiBody,
  ApiExtraModels,
  getSchemaPath,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Observable } from 'rxjs';
import { Audited } from '../audit/audited.interceptor';
import { UuidPipe } from '../common/uuid.pipe';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { OsdiHelperBody, OsdiPersonInput, OsdiTagBody, OsdiTaggingBody } from './dto/osdi-body.dto';
import { OsdiHelperQuery, OsdiPageQuery } from './dto/osdi-query.dto';
import { OsdiHelperAnswer, OsdiPage, OsdiPerson, OsdiRecord } from './dto/osdi-response.dto';
import { OsdiAuth } from './osdi-auth.guard';
import { OsdiHelpersService } from './osdi-helpers.service';
import type { HalRecord } from './osdi-views';
import { OSDI_PATH } from './osdi-views';
import { OsdiService } from './osdi.service';

export const HAL_JSON = 'application/hal+json';

/** Every OSDI answer is HAL+JSON (errors keep the platform's one JSON shape). */
@Injectable()
export class HalJsonInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    void context.switchToHttp().getResponse<FastifyReply>().header('content-type', `${HAL_JSON}; charset=utf-8`);
    return next.handle();
  }
}

const hal = (description: string, type: Type<unknown> = OsdiRecord): MethodDecorator =>
  ApiOkResponse({ description, content: { [HAL_JSON]: { schema: { $ref: getSchemaPath(type) } } } });
const page = (name: string): MethodDecorator =>
  hal(`One page: page, per_page, total_pages, total_records, _links.self|next|previous, records in _embedded["osdi:${name}"]`, OsdiPage);

/**
 * OSDI (opensupporter.github.io/osdi-docs) as Action Network's v2 API mounts it, for n8n,
 * Parsons and Zapier. Reads need a viewer's key, writes an organizer's (header OSDI-API-Token).
 */
@ApiTags('osdi')
@ApiExtraModels(OsdiRecord, OsdiPerson, OsdiHelperAnswer, OsdiPage)
@ApiProduces(HAL_JSON)
@UseInterceptors(HalJsonInterceptor)
@Controller(OSDI_PATH.slice(1))
export class OsdiController {
  constructor(
    private readonly osdi: OsdiService,
    private readonly helpers: OsdiHelpersService,
  ) {}

  @Get()
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'OSDI entry point: links to every collection and helper', operationId: 'osdiEntryPoint' })
  @hal('motd, max_pagesize, vendor_name, product_name, osdi_version, _links (curies, osdi:people, osdi:person_signup_helper...)')
  entryPoint(): HalRecord {
    return this.osdi.views.entryPoint();
  }

  // ---- people -----------------------------------------------------------------------------

  // Personal data in bulk: organizers only, as on the organizer API (audited).
  @Get('people')
  @OsdiAuth('organizer')
  @ApiOperation({ summary: 'List people (filter on modified_date, created_date, email_address)', operationId: 'osdiListPeople' })
  @page('people')
  people(@Query() query: OsdiPageQuery, @Req() req: AuthenticatedRequest): Promise<HalRecord> {
    return this.osdi.people(query, req);
  }

  @Post('people')
  @HttpCode(200)
  @OsdiAuth('organizer')
  @ApiOperation({
    summary: 'Person signup helper: double opt-in, or vouched with ?consent=confirmed',
    description:
      'Without consent=confirmed this is the join form’s request: a confirmation email, nothing subscribed until its link is used. The answer is built from the request, the same for known and new addresses.',
    operationId: 'osdiPersonSignupHelper',
  })
  @ApiBody({ type: OsdiHelperBody })
  @hal('The request as understood (request_status pending or confirmed); with consent=confirmed, _links["osdi:person"]', OsdiHelperAnswer)
  signup(@Body() body: unknown, @Query() query: OsdiHelperQuery, @Req() req: AuthenticatedRequest): Promise<HalRecord> {
    return this.helpers.personSignup(body, { req, vouched: query.consent === 'confirmed' });
  }

  /** One record, not personal data in bulk: viewers may read it (audited, as on the organizer API). */
  @Get('people/:id')
  @OsdiAuth('viewer')
  @Audited('osdi.person.read', 'person')
  @ApiOperation({ summary: 'Read one person', operationId: 'osdiGetPerson' })
  @hal('The person', OsdiPerson)
  person(@Param('id', UuidPipe) id: string): Promise<HalRecord> {
    return this.osdi.person(id);
  }

  @Get('people/:id/signatures')
  @OsdiAuth('viewer')
  @Audited('osdi.person.read', 'person')
  @ApiOperation({ summary: 'List one person’s signatures', operationId: 'osdiListPersonSignatures' })
  @page('signatures')
  personSignatures(@Param('id', UuidPipe) id: string, @Query() query: OsdiPageQuery): Promise<HalRecord> {
    return this.osdi.personRecords(id, 'signatures', query);
  }

  @Get('people/:id/attendances')
  @OsdiAuth('viewer')
  @Audited('osdi.person.read', 'person')
  @ApiOperation({ summary: 'List one person’s attendances', operationId: 'osdiListPersonAttendances' })
  @page('attendances')
  personAttendances(@Param('id', UuidPipe) id: string, @Query() query: OsdiPageQuery): Promise<HalRecord> {
    return this.osdi.personRecords(id, 'attendances', query);
  }

  @Get('people/:id/taggings')
  @OsdiAuth('viewer')
  @Audited('osdi.person.read', 'person')
  @ApiOperation({ summary: 'List one person’s taggings', operationId: 'osdiListPersonTaggings' })
  @page('taggings')
  personTaggings(@Param('id', UuidPipe) id: string, @Query() query: OsdiPageQuery): Promise<HalRecord> {
    return this.osdi.personRecords(id, 'taggings', query);
  }

  @Put('people/:id')
  @OsdiAuth('organizer')
  @Audited('osdi.person_update', 'person')
  @ApiOperation({ summary: 'Update a person’s details (not the address)', operationId: 'osdiUpdatePerson' })
  @ApiBody({ type: OsdiPersonInput })
  @hal('The person, updated', OsdiPerson)
  updatePerson(@Param('id', UuidPipe) id: string, @Body() body: unknown): Promise<HalRecord> {
    return this.osdi.updatePerson(id, body);
  }

  // ---- tags and taggings ---------------------------------------------------------------------

  @Get('tags')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'List tags', operationId: 'osdiListTags' })
  @page('tags')
  tags(@Query() query: OsdiPageQuery): Promise<HalRecord> {
    return this.osdi.tags(query);
  }

  @Post('tags')
  @HttpCode(200)
  @OsdiAuth('organizer')
  @Audited('osdi.tag_create', 'tag')
  @ApiOperation({ summary: 'Create a tag (again is the same tag)', operationId: 'osdiCreateTag' })
  @ApiBody({ type: OsdiTagBody })
  @hal('The tag')
  createTag(@Body() body: unknown): Promise<HalRecord> {
    return this.osdi.createTag(body);
  }

  @Get('tags/:id')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'Read one tag', operationId: 'osdiGetTag' })
  @hal('The tag')
  tag(@Param('id', UuidPipe) id: string): Promise<HalRecord> {
    return this.osdi.tag(id);
  }

  // Personal data in bulk: organizers only, as on the organizer API (audited).
  @Get('tags/:id/taggings')
  @OsdiAuth('organizer')
  @ApiOperation({ summary: 'List a tag’s taggings', operationId: 'osdiListTaggings' })
  @page('taggings')
  taggings(@Param('id', UuidPipe) id: string, @Query() query: OsdiPageQuery, @Req() req: AuthenticatedRequest): Promise<HalRecord> {
    return this.osdi.taggings(id, query, req);
  }

  @Post('tags/:id/taggings')
  @HttpCode(200)
  @OsdiAuth('organizer')
  @Audited('osdi.tagging_add', 'tag')
  @ApiOperation({ summary: 'Tag a person (_links["osdi:person"].href)', operationId: 'osdiAddTagging' })
  @ApiBody({ type: OsdiTaggingBody })
  @hal('The tagging')
  addTagging(@Param('id', UuidPipe) id: string, @Body() body: unknown): Promise<HalRecord> {
    return this.osdi.addTagging(id, body);
  }

  @Get('tags/:id/taggings/:taggingId')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'Read one tagging', operationId: 'osdiGetTagging' })
  @hal('The tagging')
  tagging(@Param('id', UuidPipe) id: string, @Param('taggingId', UuidPipe) taggingId: string): Promise<HalRecord> {
    return this.osdi.tagging(id, taggingId);
  }

  @Delete('tags/:id/taggings/:taggingId')
  @HttpCode(204)
  @OsdiAuth('organizer')
  @Audited('osdi.tagging_remove', 'tag')
  @ApiOperation({ summary: 'Remove a tagging (untag the person)', operationId: 'osdiRemoveTagging' })
  @ApiNoContentResponse({ description: 'Removed' })
  async removeTagging(@Param('id', UuidPipe) id: string, @Param('taggingId', UuidPipe) taggingId: string): Promise<void> {
    await this.osdi.removeTagging(id, taggingId);
  }

  // ---- lists and items -------------------------------------------------------------------------

  @Get('lists')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'List the mailing lists', operationId: 'osdiListLists' })
  @page('lists')
  lists(@Query() query: OsdiPageQuery): Promise<HalRecord> {
    return this.osdi.lists(query);
  }

  @Get('lists/:id')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'Read one list', operationId: 'osdiGetList' })
  @hal('The list')
  list(@Param('id', UuidPipe) id: string): Promise<HalRecord> {
    return this.osdi.list(id);
  }

  // Personal data in bulk: organizers only, as on the organizer API (audited).
  @Get('lists/:id/items')
  @OsdiAuth('organizer')
  @ApiOperation({ summary: 'List a list’s items (its subscribed people)', operationId: 'osdiListItems' })
  @page('items')
  items(@Param('id', UuidPipe) id: string, @Query() query: OsdiPageQuery, @Req() req: AuthenticatedRequest): Promise<HalRecord> {
    return this.osdi.items(id, query, req);
  }

  @Get('lists/:id/items/:itemId')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'Read one list item', operationId: 'osdiGetItem' })
  @hal('The item')
  item(@Param('id', UuidPipe) id: string, @Param('itemId', UuidPipe) itemId: string): Promise<HalRecord> {
    return this.osdi.item(id, itemId);
  }

  // ---- petitions and signatures -------------------------------------------------------------------

  @Get('petitions')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'List petitions', operationId: 'osdiListPetitions' })
  @page('petitions')
  petitions(@Query() query: OsdiPageQuery): Promise<HalRecord> {
    return this.osdi.petitions(query);
  }

  @Get('petitions/:id')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'Read one petition', operationId: 'osdiGetPetition' })
  @hal('The petition')
  petition(@Param('id', UuidPipe) id: string): Promise<HalRecord> {
    return this.osdi.petition(id);
  }

  // Personal data in bulk: organizers only, as on the organizer API (audited).
  @Get('petitions/:id/signatures')
  @OsdiAuth('organizer')
  @ApiOperation({
    summary: 'List a petition’s signatures (filter on modified_date, created_date, email_address)',
    operationId: 'osdiListSignatures',
  })
  @page('signatures')
  signatures(@Param('id', UuidPipe) id: string, @Query() query: OsdiPageQuery, @Req() req: AuthenticatedRequest): Promise<HalRecord> {
    return this.osdi.signatures(id, query, req);
  }

  @Post('petitions/:id/signatures')
  @HttpCode(200)
  @OsdiAuth('organizer')
  @ApiOperation({
    summary: 'Record signature helper: double opt-in, or vouched with ?consent=confirmed',
    description:
      'Takes person or _links["osdi:person"], add_tags, add_lists, comments. Without consent=confirmed it is the petition form’s request.',
    operationId: 'osdiRecordSignatureHelper',
  })
  @ApiBody({ type: OsdiHelperBody })
  @hal('The request as understood (request_status pending or confirmed)', OsdiHelperAnswer)
  recordSignature(
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
    @Query() query: OsdiHelperQuery,
    @Req() req: AuthenticatedRequest,
  ): Promise<HalRecord> {
    return this.helpers.recordSignature(id, body, { req, vouched: query.consent === 'confirmed' });
  }

  @Get('petitions/:id/signatures/:signatureId')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'Read one signature', operationId: 'osdiGetSignature' })
  @hal('The signature')
  signature(@Param('id', UuidPipe) id: string, @Param('signatureId', UuidPipe) signatureId: string): Promise<HalRecord> {
    return this.osdi.signature(id, signatureId);
  }

  // ---- events and attendances ------------------------------------------------------------------------

  @Get('events')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'List events', operationId: 'osdiListEvents' })
  @page('events')
  events(@Query() query: OsdiPageQuery): Promise<HalRecord> {
    return this.osdi.events(query);
  }

  @Get('events/:id')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'Read one event', operationId: 'osdiGetEvent' })
  @hal('The event')
  event(@Param('id', UuidPipe) id: string): Promise<HalRecord> {
    return this.osdi.event(id);
  }

  // Personal data in bulk: organizers only, as on the organizer API (audited).
  @Get('events/:id/attendances')
  @OsdiAuth('organizer')
  @ApiOperation({
    summary: 'List an event’s attendances (filter on modified_date, created_date, email_address)',
    operationId: 'osdiListAttendances',
  })
  @page('attendances')
  attendances(@Param('id', UuidPipe) id: string, @Query() query: OsdiPageQuery, @Req() req: AuthenticatedRequest): Promise<HalRecord> {
    return this.osdi.attendances(id, query, req);
  }

  @Post('events/:id/attendances')
  @HttpCode(200)
  @OsdiAuth('organizer')
  @ApiOperation({
    summary: 'Record attendance helper: double opt-in, or vouched with ?consent=confirmed',
    description:
      'Takes person or _links["osdi:person"], add_tags, add_lists. Without consent=confirmed it is the RSVP form’s request (the seat is decided when the person confirms; the default list only); with it the seat is decided at once and the person gets its email with a cancel link.',
    operationId: 'osdiRecordAttendanceHelper',
  })
  @ApiBody({ type: OsdiHelperBody })
  @hal('The request as understood (request_status pending or confirmed)', OsdiHelperAnswer)
  recordAttendance(
    @Param('id', UuidPipe) id: string,
    @Body() body: unknown,
    @Query() query: OsdiHelperQuery,
    @Req() req: AuthenticatedRequest,
  ): Promise<HalRecord> {
    return this.helpers.recordAttendance(id, body, { req, vouched: query.consent === 'confirmed' });
  }

  @Get('events/:id/attendances/:attendanceId')
  @OsdiAuth('viewer')
  @ApiOperation({ summary: 'Read one attendance', operationId: 'osdiGetAttendance' })
  @hal('The attendance')
  attendance(@Param('id', UuidPipe) id: string, @Param('attendanceId', UuidPipe) attendanceId: string): Promise<HalRecord> {
    return this.osdi.attendance(id, attendanceId);
  }
}
