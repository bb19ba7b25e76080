import { Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionService } from '../retention/retention.service';
import { PetitionsRepository } from './petitions.repository';

/**
 * Worker side: the retention job deletes signatures never confirmed after
 * RETENTION_UNCONFIRMED_DAYS, and keeps a never-confirmed person while a signature of
 * theirs remains (a recent pending one, whose link may still be used).
 */
@Injectable()
export class SignaturesRetentionService implements OnModuleInit {
  constructor(
    private readonly petitions: PetitionsRepository,
    private readonly retention: RetentionService,
  ) {}

  onModuleInit(): void {
    this.retention.registerStep({ name: 'signatures', run: (c) => this.petitions.deleteUnconfirmedSignatures(c.cutoff, c.stopping) });
    this.retention.registerPersonKeepCondition(`EXISTS (SELECT 1 FROM signatures x WHERE x.person_id = p.id)`);
  }
}
