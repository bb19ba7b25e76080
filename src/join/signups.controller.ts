import { Body, Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PENDING, PendingResponse, PublicActionPost, Requester } from '../actions/public-action.decorator';
import { CreateSignupDto } from './dto/create-signup.dto';
import { JOIN } from './join.definition';
import { SignupService } from './signup.service';

@ApiTags('public')
@Controller('api/v1/signups')
export class SignupsController {
  constructor(private readonly signups: SignupService) {}

  @PublicActionPost('', JOIN)
  async create(@Body() dto: CreateSignupDto, @Requester() from: Requester): Promise<PendingResponse> {
    await this.signups.accept(dto, from.ip, from.acceptLanguage);
    return PENDING;
  }
}
