import { Controller, Get, Inject, Injectable, NotFoundException, Param, Query, Req, Res, Type } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { UuidPipe } from '../common/uuid.pipe';
import { CsvExport, CsvExportService } from '../exports/csv-export.service';
import { Auth } from '../organizers/auth.guard';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { ActionSpec } from './action-definition';
import { ActionRegistry } from './action-registry';

/** A kind's records of one parent (a petition's signatures, an event's RSVPs) as a streamed CSV, for organizers. */
export interface RecordsExportSpec {
  /** Under `/api/v1/admin/exports/`, with the parent's `:id`: `petitions/:id/signatures.csv`. */
  route: string;
  /** What the parent is: the audit entry's target type, and the 404's word (`No such petition`). */
  parent: string;
  filename: string;
  /** The audit log's action: `export.signatures`. */
  audit: string;
  /** The header row, for the OpenAPI description. */
  header: string;
}

/** The query of an export: the kind's filters and the BOM switch. */
export type RecordsExportQuery = { bom?: '0' | '1' } & Record<string, string | undefined>;

/**
 * Streams a kind's export: 404 unless the parent exists, then `CsvExportService` (COPY, back
 * pressure, formula neutralising, the audit entry with the row count).
 */
@Injectable()
export class RecordsExport {
  constructor(
    private readonly registry: ActionRegistry,
    private readonly csv: CsvExportService,
  ) {}

  /** A kind's export of one parent's records; 404 unless the parent exists. */
  async spec(kind: string, parentId: string, query: RecordsExportQuery): Promise<CsvExport> {
    const definition = this.registry.get(kind);
    const exported = definition.spec.export;
    const { bom, ...filters } = query;
    const csvQuery = exported && definition.exportQuery ? await definition.exportQuery(parentId, filters) : null;
    if (!exported || !csvQuery) throw new NotFoundException(`No such ${exported?.parent ?? 'record'}`);
    return {
      query: csvQuery,
      filename: exported.filename,
      bom: bom === '1',
      action: exported.audit,
      kind: exported.audit.replace(/^export\./, ''),
      targetType: exported.parent,
      targetId: parentId,
      filters: { ...filters },
    };
  }

  /** `approved`: an approved export request's download (the four-eyes check is past). */
  async send(
    kind: string,
    req: AuthenticatedRequest,
    reply: FastifyReply,
    parentId: string,
    query: RecordsExportQuery,
    options: { approved?: boolean } = {},
  ): Promise<void> {
    await this.csv.send(req, reply, await this.spec(kind, parentId, query), options);
  }
}

/**
 * The export route of one kind, built from its spec (`GET /api/v1/admin/exports/{route}`,
 * organizers), with the kind's own query DTO: validated and documented as if written by
 * hand (the parameter's type is given to Nest's metadata below, as `tsc` would emit it).
 */
export function recordsExportController(spec: Pick<ActionSpec, 'kind' | 'export'>, query: Type<unknown>): Type<unknown> {
  if (!spec.export) throw new Error(`action kind ${spec.kind} has no export`);
  const exported: RecordsExportSpec = spec.export;

  @ApiTags('admin: exports')
  @Auth('organizer')
  @Controller('api/v1/admin/exports')
  class RecordsExportController {
    constructor(@Inject(RecordsExport) private readonly exports: RecordsExport) {}

    @Get(exported.route)
    @ApiOperation({ summary: `Export a ${spec.kind} list as CSV (streamed)` })
    @ApiProduces('text/csv')
    @ApiOkResponse({ description: exported.header })
    @ApiNotFoundResponse({ type: ErrorResponse })
    async export(
      @Param('id', UuidPipe) id: string,
      @Query() filters: RecordsExportQuery,
      @Req() req: AuthenticatedRequest,
      @Res() reply: FastifyReply,
    ): Promise<void> {
      await this.exports.send(spec.kind, req, reply, id, filters);
    }
  }
  // `@Query()` takes its DTO (validation, OpenAPI) from the parameter's design type.
  Reflect.defineMetadata('design:paramtypes', [String, query, Object, Object], RecordsExportController.prototype, 'export');
  Object.defineProperty(RecordsExportController, 'name', { value: `${spec.kind[0].toUpperCase()}${spec.kind.slice(1)}ExportController` });
  return RecordsExportController;
}
