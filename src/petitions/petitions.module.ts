import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { ExportsModule } from '../exports/exports.module';
import { PetitionReadCache } from './petition-read-cache';
import { PetitionsAdminService } from './petitions-admin.service';
import { PetitionsRepository } from './petitions.repository';
import { PublicPetitionsService } from './public-petitions.service';
import { SignPetitionService } from './sign-petition.service';
import { SignatureAction } from './signature.definition';
import { SignaturesExportService } from './signatures-export.service';

/**
 * Services shared by the API and the worker; controllers and periodic tasks are added by
 * each entrypoint's module. The signature is an action kind (`SignatureAction`): its job,
 * link, emails, reconciler, person record and retention come from src/actions.
 */
@Module({
  imports: [ActionsModule, ExportsModule],
  providers: [
    PetitionsRepository,
    PetitionReadCache,
    PetitionsAdminService,
    PublicPetitionsService,
    SignPetitionService,
    SignatureAction,
    SignaturesExportService,
  ],
  exports: [
    PetitionsRepository,
    PetitionsAdminService,
    PublicPetitionsService,
    SignPetitionService,
    SignatureAction,
    SignaturesExportService,
  ],
})
export class PetitionsModule {}
