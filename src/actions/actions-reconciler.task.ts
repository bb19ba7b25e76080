import { Injectable } from '@nestjs/common';
import { PeriodicTask } from '../common/periodic-task';
import { ActionRegistry } from './action-registry';
import { ActionWorker } from './action-worker.service';
import { ActionsRepository } from './actions.repository';

/** How many undecided requests of one kind a pass takes. */
const PER_KIND = 200;

/**
 * The last line of "never lost", for every kind: a request still undecided long after its
 * job should have run (a job lost with a Redis that was wiped, say) is decided here directly.
 * Deciding is idempotent, so racing a slow job is harmless; each request is handled on its
 * own, so one that keeps failing cannot hold up the rest. Worker only.
 */
@Injectable()
export class ActionsReconciler extends PeriodicTask {
  protected readonly everyMs = 30_000;
  protected override readonly firstRunAfterMs = 30_000;

  constructor(
    private readonly registry: ActionRegistry,
    private readonly worker: ActionWorker,
    private readonly actions: ActionsRepository,
  ) {
    super();
  }

  /** One pass over every kind; returns how many requests it decided. */
  async runOnce(olderThanSeconds = 120): Promise<number> {
    let count = 0;
    for (const { spec } of this.registry.all()) {
      for (const id of await this.actions.findUndecided(spec, olderThanSeconds, PER_KIND)) {
        if (this.stopping) return count;
        try {
          await this.worker.process(spec.kind, id);
          count++;
        } catch (err) {
          this.logger.warn(`${spec.kind} ${id} still not decided: ${(err as Error).message}`);
        }
      }
    }
    if (count > 0) this.logger.warn(`decided ${count} request(s) whose job never finished`);
    return count;
  }
}
