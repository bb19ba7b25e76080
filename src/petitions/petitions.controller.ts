import { Body, Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ErrorResponse } from '../common/error-response';
import { Page } from '../common/pagination';
import { SlugPipe } from '../common/slug.pipe';
import { PENDING, PendingResponse, PublicActionPost, Requester } from '../actions/public-action.decorator';
import {
  LanguageQuery,
  PublicPetitionPage,
  PublicPetitionResponse,
  PublicPetitionsQuery,
  PublicSignerList,
  PublicSignersQuery,
} from './dto/petition.dto';
import { SignPetitionDto } from './dto/sign-petition.dto';
// The body's compiled check (registered with the global pipe when loaded): the hot path.
import './dto/sign-petition.validator';
import { PublicPetitionsService } from './public-petitions.service';
import { SignPetitionService } from './sign-petition.service';
import { SIGNATURE } from './signature.definition';

/** Public reads may be cached by browsers and CDNs as long as the server caches them. */
const SHORT_CACHE = 'public, max-age=1';

@ApiTags('public')
@Controller('api/v1/petitions')
export class PetitionsController {
  constructor(
    private readonly petitions: PublicPetitionsService,
    private readonly signing: SignPetitionService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Open petitions, newest first' })
  @ApiOkResponse({ type: PublicPetitionPage })
  @ApiBadRequestResponse({ type: ErrorResponse, description: 'A bad limit or cursor' })
  async list(
    @Query() query: PublicPetitionsQuery,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Page<PublicPetitionResponse>> {
    void reply.header('cache-control', SHORT_CACHE).header('vary', 'Accept-Language');
    return this.petitions.listOpen(query.limit, query.cursor, query.lang, acceptLanguage);
  }

  @Get(':slug')
  @ApiOperation({ summary: 'An open or closed petition, in the language asked for (?lang=, Accept-Language) when it has it' })
  @ApiOkResponse({ type: PublicPetitionResponse })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'Unknown or draft' })
  async get(
    @Param('slug', new SlugPipe('No such petition')) slug: string,
    @Query() query: LanguageQuery,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PublicPetitionResponse> {
    const petition = await this.petitions.get(slug, query.lang, acceptLanguage);
    void reply.header('cache-control', SHORT_CACHE).header('vary', 'Accept-Language');
    return petition;
  }

  @Get(':slug/signatures')
  @ApiOperation({ summary: 'Recent confirmed signers who chose to be named: given name and family initial' })
  @ApiOkResponse({ type: PublicSignerList })
  @ApiNotFoundResponse({ type: ErrorResponse })
  async signers(
    @Param('slug', new SlugPipe('No such petition')) slug: string,
    @Query() query: PublicSignersQuery,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<PublicSignerList> {
    const list = await this.petitions.signers(slug, query.limit);
    void reply.header('cache-control', SHORT_CACHE);
    return list;
  }

  @PublicActionPost(':slug/signatures', SIGNATURE)
  async sign(
    @Param('slug', new SlugPipe('No such petition')) slug: string,
    @Body() dto: SignPetitionDto,
    @Requester() from: Requester,
  ): Promise<PendingResponse> {
    await this.signing.sign(slug, dto, from.ip, from.acceptLanguage);
    return PENDING;
  }
}
