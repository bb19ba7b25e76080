import { UuidPipe } from '../common/uuid.pipe';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.interceptor';
import { ErrorResponse } from '../common/error-response';
import { PageQuery } from '../common/pagination';
import { Auth } from './auth.guard';
import { CreatedOrganizerResponse, CreateOrganizerDto, OrganizerPage } from './dto/organizer.dto';
import { NotSelfGuard } from './not-self.guard';
import { OrganizersService } from './organizers.service';

@ApiTags('admin: organizers')
@Auth('admin')
@Controller('api/v1/admin/organizers')
export class OrganizersController {
  constructor(private readonly organizers: OrganizersService) {}

  @Post()
  @ApiOperation({ summary: 'Create an organizer and its API key (shown once)' })
  @Audited('organizer.create', 'organizer')
  @ApiCreatedResponse({ type: CreatedOrganizerResponse })
  async create(@Body() dto: CreateOrganizerDto): Promise<CreatedOrganizerResponse> {
    const { organizer, apiKey } = await this.organizers.create(dto.email, dto.role);
    return { ...organizer, apiKey };
  }

  @Get()
  @ApiOperation({ summary: 'List organizers' })
  @ApiOkResponse({ type: OrganizerPage })
  list(@Query() query: PageQuery): Promise<OrganizerPage> {
    return this.organizers.list(query.limit, query.cursor);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an organizer and its keys' })
  @UseGuards(NotSelfGuard)
  @Audited('organizer.revoke', 'organizer')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Organizer and keys revoked' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The key belongs to this organizer: nobody revokes themselves' })
  async revoke(@Param('id', UuidPipe) id: string): Promise<void> {
    await this.organizers.revoke(id);
  }
}
