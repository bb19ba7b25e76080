import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.interceptor';
import { ErrorResponse } from '../common/error-response';
import { PageQuery } from '../common/pagination';
import { UuidPipe } from '../common/uuid.pipe';
import { Auth } from '../organizers/auth.guard';
import { CreateListDto, ListPage, ListResponse, UpdateListDto } from './dto/list.dto';
import { ListsService } from './lists.service';

@ApiTags('admin: lists')
@Controller('api/v1/admin/lists')
export class ListsController {
  constructor(private readonly lists: ListsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a list' })
  @Auth('organizer')
  @Audited('list.create', 'list')
  @ApiCreatedResponse({ type: ListResponse })
  create(@Body() dto: CreateListDto): Promise<ListResponse> {
    return this.lists.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List the mailing lists' })
  @Auth('viewer')
  @ApiOkResponse({ type: ListPage })
  list(@Query() query: PageQuery): Promise<ListPage> {
    return this.lists.list(query.limit, query.cursor);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Update a list' })
  @Auth('organizer')
  @Audited('list.update', 'list')
  @ApiOkResponse({ type: ListResponse })
  @ApiNotFoundResponse({ type: ErrorResponse })
  update(@Param('id', UuidPipe) id: string, @Body() dto: UpdateListDto): Promise<ListResponse> {
    return this.lists.update(id, dto);
  }
}
