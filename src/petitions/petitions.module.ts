import { Module } from '@nestjs/common';
import { ActionsModule } from '../actions/actions.module';
import { PetitionReadCache } from './petition-read-cache';
import { PetitionsAdminService } from './petitions-admin.service';
import { PetitionsRepository } from './petitions.repository';
import { PublicPetitionsService } from './public-petitions.service';
import { SignPetitionService } from './sign-petition.service';
import { SignatureAction } from './signature.definition';

/**
 * Services shared by the API and the worker; controllers and periodic tasks are added by
 * each entrypoint's module. The signature is an action kind (`SignatureAction`): its job,
 * link, emails, reconciler, person record and retention come from src/actions.
 */
@Module({
  imports: [ActionsModule],
  providers: [PetitionsRepository, PetitionReadCache, PetitionsAdminService, PublicPetitionsService, SignPetitionService, SignatureAction],
  exports: [PetitionsRepository, PetitionsAdminService, PublicPetitionsService, PetitionReadCache, SignPetitionService, SignatureAction],
})
export class PetitionsModule {}
