import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { SupportersModule } from '../supporters/supporters.module';
import { ConfirmSignatureService } from './confirm-signature.service';
import { PetitionReadCache } from './petition-read-cache';
import { PetitionsAdminService } from './petitions-admin.service';
import { PetitionsRepository } from './petitions.repository';
import { ProcessSignatureService } from './process-signature.service';
import { PublicPetitionsService } from './public-petitions.service';
import { SignPetitionService } from './sign-petition.service';
import { SignatureEmailComposer } from './signature-email.composer';

/** Services shared by the API and the worker; controllers and periodic tasks are added by each entrypoint's module. */
@Module({
  imports: [OutboxModule, SupportersModule],
  providers: [
    PetitionsRepository,
    PetitionReadCache,
    PetitionsAdminService,
    PublicPetitionsService,
    SignPetitionService,
    ProcessSignatureService,
    ConfirmSignatureService,
    SignatureEmailComposer,
  ],
  exports: [
    PetitionsRepository,
    PetitionsAdminService,
    PublicPetitionsService,
    SignPetitionService,
    ProcessSignatureService,
    ConfirmSignatureService,
  ],
})
export class PetitionsModule {}
