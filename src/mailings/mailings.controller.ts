import { UuidPipe } from '../common/uuid.pipe';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.interceptor';
import { PageQuery } from '../common/pagination';
import { Auth } from '../organizers/auth.guard';
import { CreateMailingDto, MailingPage, MailingResponse } from './dto/mailing.dto';
import { MailingsService } from './mailings.service';

@ApiTags('admin: mailings')
@Auth('organizer')
@Controller('api/v1/admin/mailings')
export class MailingsController {
  constructor(private readonly mailings: MailingsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a mailing (draft)' })
  @Audited('mailing.create', 'mailing')
  @ApiCreatedResponse({ type: MailingResponse })
  create(@Body() dto: CreateMailingDto): Promise<MailingResponse> {
    return this.mailings.create(dto);
  }

  @Get()
  @ApiOperation({ summary: 'List mailings' })
  @Auth('viewer')
  @ApiOkResponse({ type: MailingPage })
  list(@Query() query: PageQuery): Promise<MailingPage> {
    return this.mailings.list(query.limit, query.cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Read one mailing with its stats' })
  @Auth('viewer')
  @ApiOkResponse({ type: MailingResponse })
  get(@Param('id', UuidPipe) id: string): Promise<MailingResponse> {
    return this.mailings.get(id);
  }

  @Post(':id/send')
  @ApiOperation({ summary: 'Send a mailing now or at sendAt' })
  @HttpCode(200)
  @Audited('mailing.send', 'mailing')
  @ApiOkResponse({ type: MailingResponse, description: 'sending, or scheduled when sendAt is in the future' })
  send(@Param('id', UuidPipe) id: string): Promise<MailingResponse> {
    return this.mailings.send(id);
  }

  @Post(':id/cancel')
  @ApiOperation({ summary: 'Cancel a mailing' })
  @HttpCode(200)
  @Audited('mailing.cancel', 'mailing')
  @ApiOkResponse({ type: MailingResponse })
  cancel(@Param('id', UuidPipe) id: string): Promise<MailingResponse> {
    return this.mailings.cancel(id);
  }
}
