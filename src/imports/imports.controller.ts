import {
  BadRequestException,
  Controller,
  HttpCode,
  PayloadTooLargeException,
  Post,
  Query,
  Req,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { Auth } from '../organizers/auth.guard';
import type { AuthenticatedRequest } from '../organizers/auth.guard';
import { ImportPeopleQuery, ImportReport } from './dto/import.dto';
import { IMPORT_MAX_BYTES, ImportPeopleService } from './import-people.service';

@ApiTags('admin: imports')
@Auth('organizer')
@Controller('api/v1/admin/imports')
export class ImportsController {
  constructor(private readonly importer: ImportPeopleService) {}

  @Post('people')
  @ApiOperation({ summary: 'Import people from CSV' })
  @HttpCode(200)
  @ApiConsumes('text/csv')
  @ApiBody({
    schema: {
      type: 'string',
      example: 'email,givenName,familyName,country,postalCode,language,lists\namal@example.org,أمل,Haddad,LB,,ar,movement',
    },
  })
  @ApiOkResponse({ type: ImportReport })
  run(@Query() query: ImportPeopleQuery, @Req() req: AuthenticatedRequest): Promise<ImportReport> {
    if (!/^text\/csv\b/i.test(req.headers['content-type'] ?? '')) throw new UnsupportedMediaTypeException('Send the file as text/csv');
    if (Number(req.headers['content-length'] ?? 0) > IMPORT_MAX_BYTES) {
      throw new PayloadTooLargeException(`An import may be at most ${IMPORT_MAX_BYTES / 1024 / 1024} MB`);
    }
    if (!(req.body instanceof Readable)) throw new BadRequestException('Send the file as the request body');
    return this.importer.run(req.body, {
      lists: query.list ? [query.list] : [],
      consentConfirmed: query.consent === 'confirmed',
      overwrite: query.overwrite === '1',
      req,
      via: 'api',
    });
  }
}
