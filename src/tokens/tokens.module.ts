import { Global, Module } from '@nestjs/common';
import { ActionTokenRepository } from './action-token.repository';
import { ActionTokenService } from './action-token.service';

@Global()
@Module({ providers: [ActionTokenRepository, ActionTokenService], exports: [ActionTokenService] })
export class TokensModule {}
