import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { confirmLinksController } from '../actions/confirm-links.controller';
import { ProofOfWorkModule } from '../web/proof-of-work.module';
import { AdminPetitionsController } from './admin-petitions.controller';
import { PetitionsController } from './petitions.controller';
import { PetitionsModule } from './petitions.module';
import { SIGNATURE } from './signature.definition';
import { SignaturesExportController } from './signatures-export.controller';

@Module({
  imports: [PetitionsModule, ActionsModule, ProofOfWorkModule],
  controllers: [PetitionsController, AdminPetitionsController, confirmLinksController(SIGNATURE), SignaturesExportController],
})
export class PetitionsHttpModule {}
