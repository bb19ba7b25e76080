import { Global, Module } from '@nestjs/common';
import { ChallengeController } from './challenge.controller';
import { ProofOfWorkGuard } from './proof-of-work.guard';
import { ProofOfWorkService } from './proof-of-work.service';

/** Global so the feature controllers' public POSTs can use ProofOfWorkGuard. API process only. */
@Global()
@Module({
  controllers: [ChallengeController],
  providers: [ProofOfWorkService, ProofOfWorkGuard],
  exports: [ProofOfWorkService, ProofOfWorkGuard],
})
export class ProofOfWorkModule {}
