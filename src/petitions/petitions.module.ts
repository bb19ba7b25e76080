import { Module } from '@nestjs/common';
import { ExportsModule } from '../exports/exports.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PeopleModule } from '../people/people.module';
import { SupportersModule } from '../join/join.module';
import { ConfirmSignatureService } from './confirm-signature.service';
import { PetitionReadCache } from './petition-read-cache';
import { PetitionsAdminService } from './petitions-admin.service';
import { PetitionsRepository } from './petitions.repository';
import { ProcessSignatureService } from './process-signature.service';
import { PublicPetitionsService } from './public-petitions.service';
import { SignPetitionService } from './sign-petition.service';
import { SignatureEmailComposer } from './signature-email.composer';
import { SignaturesPeopleService } from './signatures-people.service';

/**
 * Services shared by the API and the worker; controllers and periodic tasks are added by
 * each entrypoint's module. Petitions plug into the people feature (sections, erasure) and
 * exports, never the other way round; the retention step is the worker's
 * (SignaturesRetentionService in WorkerModule).
 */
@Module({
  imports: [OutboxModule, SupportersModule, PeopleModule, ExportsModule],
  providers: [
    PetitionsRepository,
    PetitionReadCache,
    PetitionsAdminService,
    PublicPetitionsService,
    SignPetitionService,
    ProcessSignatureService,
    ConfirmSignatureService,
    SignatureEmailComposer,
    SignaturesPeopleService,
  ],
  exports: [
    PetitionsRepository,
    PetitionsAdminService,
    PublicPetitionsService,
    SignPetitionService,
    ProcessSignatureService,
    ConfirmSignatureService,
    SignaturesPeopleService,
  ],
})
export class PetitionsModule {}
