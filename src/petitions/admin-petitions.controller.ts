import { UuidPipe } from '../common/uuid.pipe';
import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { Audited } from '../audit/audited.interceptor';
import { ErrorResponse } from '../common/error-response';
import { Page, PageQuery, SyncPageQuery } from '../common/pagination';
import { Auth } from '../organizers/auth.guard';
import { AdminPetitionPage, AdminPetitionResponse, CreatePetitionDto, TranslationContent, UpdatePetitionDto } from './dto/petition.dto';
import { PETITION_STATUSES } from './petition.entity';
import type { PetitionStatus } from './petition.entity';
import { AdminSignature, PetitionsAdminService } from './petitions-admin.service';

export class AdminPetitionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: PETITION_STATUSES })
  @IsOptional()
  @IsIn(PETITION_STATUSES, { message: `status must be one of ${PETITION_STATUSES.join(', ')}` })
  status?: PetitionStatus;
}

@ApiTags('admin: petitions')
@ApiExtraModels(TranslationContent)
@Controller('api/v1/admin/petitions')
export class AdminPetitionsController {
  constructor(private readonly petitions: PetitionsAdminService) {}

  @Post()
  @Auth('organizer')
  @Audited('petition.create', 'petition')
  @ApiCreatedResponse({ type: AdminPetitionResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Slug taken' })
  create(@Body() dto: CreatePetitionDto): Promise<AdminPetitionResponse> {
    return this.petitions.create(dto);
  }

  @Get()
  @Auth('viewer')
  @ApiOkResponse({ type: AdminPetitionPage })
  list(@Query() query: AdminPetitionsQuery): Promise<Page<AdminPetitionResponse>> {
    return this.petitions.list(query.limit, query.cursor, query.status);
  }

  @Get(':id')
  @Auth('viewer')
  @ApiOkResponse({ type: AdminPetitionResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  get(@Param('id', UuidPipe) id: string): Promise<AdminPetitionResponse> {
    return this.petitions.get(id);
  }

  @Patch(':id')
  @Auth('organizer')
  @Audited('petition.update', 'petition')
  @ApiOkResponse({ type: AdminPetitionResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Slug taken' })
  update(@Param('id', UuidPipe) id: string, @Body() dto: UpdatePetitionDto): Promise<AdminPetitionResponse> {
    return this.petitions.update(id, dto);
  }

  /** Personal data in bulk: organizers only. */
  @Get(':id/signatures')
  @ApiOperation({
    summary: "List a petition's signatures (or sync what changed)",
    description: 'Newest first; with `modifiedSince`, the signatures changed at or after that time, oldest change first',
  })
  @Auth('organizer')
  @Audited('petition.signatures.read', 'petition')
  @ApiNotFoundResponse({ type: ErrorResponse })
  signatures(@Param('id', UuidPipe) id: string, @Query() query: SyncPageQuery): Promise<Page<AdminSignature>> {
    return this.petitions.signatures(id, query.limit, query.cursor, query.modifiedSince);
  }
}
