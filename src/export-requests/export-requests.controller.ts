import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiGoneResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { UuidPipe } from '../common/uuid.pipe';
import { Auth } from '../organizers/auth.guard';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import type { Page } from '../common/pagination';
import {
  CreateExportRequestDto,
  ExportRequestListQuery,
  ExportRequestPage,
  ExportRequestResponse,
  TraceQuery,
  TraceResponse,
} from './dto/export-request.dto';
import { ExportRequestsService } from './export-requests.service';

@ApiTags('admin: exports')
@Auth('organizer')
@Controller('api/v1/admin/export-requests')
export class ExportRequestsController {
  constructor(private readonly requests: ExportRequestsService) {}

  @Post()
  @ApiOperation({ summary: "Request a bulk export that needs another organizer's approval" })
  @ApiCreatedResponse({ type: ExportRequestResponse })
  create(@Body() dto: CreateExportRequestDto, @Req() req: AuthenticatedRequest): Promise<ExportRequestResponse> {
    return this.requests.create(req, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List export requests' })
  @ApiOkResponse({ type: ExportRequestPage, description: 'Newest first; `?status=pending` for approvers' })
  list(@Query() query: ExportRequestListQuery): Promise<Page<ExportRequestResponse>> {
    return this.requests.list(query.limit, query.cursor, query.status);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get one export request' })
  @ApiOkResponse({ type: ExportRequestResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  get(@Param('id', UuidPipe) id: string): Promise<ExportRequestResponse> {
    return this.requests.get(id);
  }

  @Post(':id/approve')
  @ApiOperation({ summary: 'Approve an export request (never its requester)' })
  @HttpCode(200)
  @ApiOkResponse({ type: ExportRequestResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Decided already' })
  approve(@Param('id', UuidPipe) id: string, @Req() req: AuthenticatedRequest): Promise<ExportRequestResponse> {
    return this.requests.decide(req, id, 'approved');
  }

  @Post(':id/refuse')
  @ApiOperation({ summary: 'Refuse an export request (never its requester)' })
  @HttpCode(200)
  @ApiOkResponse({ type: ExportRequestResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Decided already' })
  refuse(@Param('id', UuidPipe) id: string, @Req() req: AuthenticatedRequest): Promise<ExportRequestResponse> {
    return this.requests.decide(req, id, 'refused');
  }

  @Get(':id/download')
  @ApiOperation({ summary: 'Download an approved export, once, within an hour' })
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV, as the direct export streams it; once, by the requester, within an hour of approval' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'Pending or refused' })
  @ApiGoneResponse({ type: ErrorResponse, description: 'Downloaded already, or the hour has passed' })
  async download(@Param('id', UuidPipe) id: string, @Req() req: AuthenticatedRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.requests.download(req, reply, id);
  }
}

@ApiTags('admin: exports')
@Auth('admin')
@Controller('api/v1/admin/exports')
export class ExportTraceController {
  constructor(private readonly requests: ExportRequestsService) {}

  @Get('trace')
  @ApiOperation({ summary: 'Find the export whose canary row held an address' })
  @ApiOkResponse({ type: TraceResponse, description: 'The export whose canary row held this address' })
  @ApiNotFoundResponse({ type: ErrorResponse })
  trace(@Query() query: TraceQuery): Promise<TraceResponse> {
    return this.requests.trace(query.email);
  }
}
