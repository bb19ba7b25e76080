import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Page, PageQuery } from '../common/pagination';
import { Auth } from '../organizers/auth.guard';
import { AuditService } from '../audit/audit.service';

export class AuditLogQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'export.', description: 'One action (`person.erase`) or a family ending in a dot (`export.`)' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @Matches(/^[a-z0-9.-]+$/, { message: 'action must be a dotted action name' })
  action?: string;
}

export class AuditEntryResponse {
  @ApiProperty() id!: string;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ nullable: true, type: String }) organizerId!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) apiKeyId!: string | null;
  @ApiProperty() action!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) targetType!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) targetId!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) details!: Record<string, unknown>;
  @ApiPropertyOptional({ nullable: true, type: String }) ip!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) requestId!: string | null;
}

export class AuditLogPage {
  @ApiProperty({ type: [AuditEntryResponse] }) items!: AuditEntryResponse[];
  @ApiPropertyOptional({ nullable: true, type: String }) nextCursor!: string | null;
}

/** Reading the log is not itself logged: it holds no supporter's personal data. */
@ApiTags('admin: audit log')
@Auth('admin')
@Controller('api/v1/admin/audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'Read the audit log, newest first' })
  @ApiOkResponse({ type: AuditLogPage })
  list(@Query() query: AuditLogQuery): Promise<Page<AuditEntryResponse>> {
    return this.audit.list(query.limit, query.cursor, query.action);
  }
}
