import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { confirmLinksController } from '../actions/confirm-links.controller';
import { ProofOfWorkModule } from '../web/proof-of-work.module';
import { JOIN } from './join.definition';
import { JoinModule } from './join.module';
import { SignupsController } from './signups.controller';

@Module({ imports: [JoinModule, ActionsModule, ProofOfWorkModule], controllers: [SignupsController, confirmLinksController(JOIN)] })
export class JoinHttpModule {}
