import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { PetitionsRepository } from './petitions.repository';

/**
 * Advances the signature counts every second from the confirmations committed since the
 * last pass (one statement, cost proportional to the new confirmations, not to the
 * petition). Any number of workers may run it at once: each confirmation is taken once.
 */
@Injectable()
export class PetitionCountsAggregator extends PeriodicTask {
  protected readonly everyMs = 1_000;

  constructor(private readonly petitions: PetitionsRepository) {
    super();
  }

  runOnce(): Promise<string[]> {
    return this.petitions.aggregateCounts();
  }
}

/**
 * Sets every visible petition's count from its signatures now and then, so a count that
 * lost signatures to erasure (people deleted, their signatures with them) becomes exact
 * again. Slow on purpose: it reads whole petitions.
 */
@Injectable()
export class PetitionRecountTask extends PeriodicTask {
  protected readonly everyMs = 15 * 60_000;
  protected override readonly firstRunAfterMs = 60_000;

  constructor(private readonly petitions: PetitionsRepository) {
    super();
  }

  async runOnce(): Promise<number> {
    const ids = await this.petitions.openOrClosedPetitionIds();
    for (const id of ids) {
      if (this.stopping) break;
      await this.petitions.recount(id);
    }
    return ids.length;
  }
}
