import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO31661Alpha2, IsOptional, IsString, IsUUID, Matches, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { LanguageTag, SLUG_PATTERN, UpperCase } from '../../common/validators';
import { EXPORT_REQUEST_KINDS } from '../export-request.entity';
import type { ExportRequestKind, ExportRequestStatus } from '../export-request.entity';

export class ExportRequestFilters {
  @ApiPropertyOptional({ example: 'movement', description: 'people: subscribed to this list' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @Matches(SLUG_PATTERN, { message: 'list must be a list slug' })
  list?: string;

  @ApiPropertyOptional({ example: 'LB' })
  @IsOptional()
  @UpperCase()
  @IsString()
  @IsISO31661Alpha2({ message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;

  @ApiPropertyOptional({ example: 'ar' })
  @IsOptional()
  @IsString()
  @MaxLength(35)
  @LanguageTag()
  language?: string;

  @ApiPropertyOptional({ example: 'confirmed', description: "signatures: pending|confirmed; rsvps: the RSVP's status" })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z]{1,16}$/, { message: 'status must be a status' })
  status?: string;
}

export class CreateExportRequestDto {
  @ApiProperty({ enum: EXPORT_REQUEST_KINDS })
  @IsIn(EXPORT_REQUEST_KINDS, { message: `kind must be one of ${EXPORT_REQUEST_KINDS.join(', ')}` })
  kind!: ExportRequestKind;

  @ApiPropertyOptional({ description: 'Required for kind signatures' })
  @ValidateIf((o: CreateExportRequestDto) => o.kind === 'signatures' || o.petitionId !== undefined)
  @IsUUID('all', { message: 'petitionId must be a petition id' })
  petitionId?: string;

  @ApiPropertyOptional({ description: 'Required for kind rsvps' })
  @ValidateIf((o: CreateExportRequestDto) => o.kind === 'rsvps' || o.eventId !== undefined)
  @IsUUID('all', { message: 'eventId must be an event id' })
  eventId?: string;

  @ApiPropertyOptional({ type: ExportRequestFilters })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExportRequestFilters)
  filters?: ExportRequestFilters;
}

export class ExportRequestResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['pending', 'approved', 'refused', 'downloaded', 'expired'] }) status!: ExportRequestStatus;
  @ApiProperty({ description: 'Rows when requested (canary rows not counted)' }) rows!: number;
  @ApiProperty() kind!: ExportRequestKind;
  @ApiProperty({ description: 'Organizer id' }) requestedBy!: string;
  @ApiPropertyOptional({ description: 'Organizer id' }) decidedBy?: string;
  @ApiPropertyOptional() petitionId?: string;
  @ApiPropertyOptional() eventId?: string;
  @ApiProperty() filters!: Record<string, string>;
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ description: 'Download before this (one hour after approval)' }) expiresAt?: Date;
}

export class ExportRequestListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['pending', 'approved', 'refused', 'downloaded'] })
  @IsOptional()
  @IsIn(['pending', 'approved', 'refused', 'downloaded'], { message: 'status must be pending, approved, refused or downloaded' })
  status?: string;
}

export class ExportRequestPage {
  @ApiProperty({ type: [ExportRequestResponse] }) items!: ExportRequestResponse[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}

export class TraceQuery {
  @ApiProperty({ example: 'layla.mansour123@canary.example' })
  @IsString()
  @MaxLength(320)
  email!: string;
}

export class TraceResponse {
  @ApiProperty({ description: 'The audit entry of the export that held the address' }) auditId!: string;
  @ApiProperty({ enum: ['people', 'signatures', 'rsvps'] }) kind!: string;
  @ApiProperty({ nullable: true, type: String }) organizerId!: string | null;
  @ApiProperty() at!: Date;
}
