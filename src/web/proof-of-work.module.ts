import { Module } from '@nestjs/common';
import { ChallengeController } from './challenge.controller';
import { ProofOfWorkGuard } from './proof-of-work.guard';
import { ProofOfWorkService } from './proof-of-work.service';

/** The proof of work: imported by the modules whose public POSTs use ProofOfWorkGuard, and the pages. API process only. */
@Module({
  controllers: [ChallengeController],
  providers: [ProofOfWorkService, ProofOfWorkGuard],
  exports: [ProofOfWorkService, ProofOfWorkGuard],
})
export class ProofOfWorkModule {}
