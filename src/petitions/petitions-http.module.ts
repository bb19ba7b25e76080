import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { confirmLinksController } from '../actions/confirm-links.controller';
import { recordsExportController } from '../actions/records-export';
import { ProofOfWorkModule } from '../web/proof-of-work.module';
import { AdminPetitionsController } from './admin-petitions.controller';
import { PetitionsController } from './petitions.controller';
import { PetitionsLeanReads } from './petitions-lean-reads';
import { PetitionsModule } from './petitions.module';
import { SignaturesExportQuery } from './dto/signatures-export.query';
import { SIGNATURE } from './signature.definition';

@Module({
  imports: [PetitionsModule, ActionsModule, ProofOfWorkModule],
  controllers: [
    PetitionsController,
    AdminPetitionsController,
    confirmLinksController(SIGNATURE),
    recordsExportController(SIGNATURE, SignaturesExportQuery),
  ],
  providers: [PetitionsLeanReads],
})
export class PetitionsHttpModule {}
