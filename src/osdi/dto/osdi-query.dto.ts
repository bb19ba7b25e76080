import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export const MAX_PAGE_SIZE = 25;

/** `page` and `per_page` (n8n sends `perPage`), and the OData `filter`. */
export class OsdiPageQuery {
  @ApiPropertyOptional({ minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @Max(1_000_000)
  @Min(1)
  @IsInt()
  page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: MAX_PAGE_SIZE, description: 'More than 25 is read as 25' })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @IsInt()
  per_page?: number;

  @ApiPropertyOptional({ minimum: 1, description: 'Same as per_page (the spelling n8n sends)' })
  @IsOptional()
  @Type(() => Number)
  @Min(1)
  @IsInt()
  perPage?: number;

  @ApiPropertyOptional({
    example: "modified_date gt '2026-01-01T00:00:00Z'",
    description:
      'OData subset: eq ne gt ge lt le, and, or, parentheses; on modified_date, created_date (ISO 8601 in single quotes) and email_address (eq, ne). People, signatures and attendances.',
    maxLength: 2000,
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  filter?: string;
}

/** The helpers' options. */
export class OsdiHelperQuery {
  @ApiPropertyOptional({
    enum: ['confirmed'],
    description:
      'The organizer vouches that the person consented: no confirmation email; recorded in the consent record (vouched by this key’s organizer) and the audit log',
  })
  @IsOptional()
  @IsIn(['confirmed'], { message: 'consent must be "confirmed" when given' })
  consent?: 'confirmed';

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Accepted for Action Network clients; every request is processed at once' })
  @IsOptional()
  @IsIn(['true', 'false'])
  background_processing?: string;
}
