import { Body, Controller, Headers, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { PENDING, PendingResponse, PublicActionPost } from '../actions/public-action.decorator';
import { CreateSignupDto } from './dto/create-signup.dto';
import { SignupService } from './signup.service';

@ApiTags('public')
@Controller('api/v1/signups')
export class SignupsController {
  constructor(private readonly signups: SignupService) {}

  @PublicActionPost('', 'Join the movement (double opt-in: a confirmation email follows)')
  async create(
    @Body() dto: CreateSignupDto,
    @Req() req: FastifyRequest,
    @Headers('accept-language') acceptLanguage: string | undefined,
  ): Promise<PendingResponse> {
    await this.signups.accept(dto, req.ip, acceptLanguage);
    return PENDING;
  }
}
