import { Module } from '@nestjs/common';
import { ActionTokenRepository } from './action-token.repository';
import { ActionTokenService } from './action-token.service';

/** Link tokens (imported by the action lifecycle and events' cancel links). */
@Module({ providers: [ActionTokenRepository, ActionTokenService], exports: [ActionTokenService] })
export class TokensModule {}
