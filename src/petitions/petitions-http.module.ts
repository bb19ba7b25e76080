import { Module } from '@nestjs/common';
import { AdminPetitionsController } from './admin-petitions.controller';
import { ConfirmSignatureController } from './confirm-signature.controller';
import { PetitionsController } from './petitions.controller';
import { PetitionsModule } from './petitions.module';
import { SignaturesExportController } from './signatures-export.controller';

@Module({
  imports: [PetitionsModule],
  controllers: [PetitionsController, AdminPetitionsController, ConfirmSignatureController, SignaturesExportController],
})
export class PetitionsHttpModule {}
