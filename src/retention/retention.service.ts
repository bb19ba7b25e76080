import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock';
import { AppConfig } from '../config/app-config';
import { RetentionRepository } from './retention.repository';

/** One kind of record the retention job purges; returns how many went. */
export interface RetentionStep {
  name: string;
  /** `protectedCutoff`: PROTECTED_RETENTION_DAYS ago (docs/safety.md). */
  run(context: { cutoff: Date; protectedCutoff: Date; now: Date; stopping: () => boolean }): Promise<number>;
}

/** What keeps a never-confirmed person (SQL conditions on `p`, the people row). */
const PERSON_KEEP_CONDITIONS = [
  `EXISTS (SELECT 1 FROM subscriptions s WHERE s.person_id = p.id AND s.status <> 'pending')`,
  `EXISTS (SELECT 1 FROM consent_records c WHERE c.person_id = p.id)`,
  `EXISTS (SELECT 1 FROM person_tags t WHERE t.person_id = p.id)`,
];

/**
 * Retention: what was never confirmed is deleted after RETENTION_UNCONFIRMED_DAYS (the action
 * kinds' records, then the people who existed only through them), and expired link tokens at
 * once. Each action kind registers its step (sign-ups, signatures, RSVPs never confirmed) and
 * what keeps a person, from its definition (src/actions); newsletters a keep condition. Every
 * step runs before the people step, so a person left with nothing goes in the same run.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);
  private readonly steps: RetentionStep[] = [];
  private readonly keepConditions = [...PERSON_KEEP_CONDITIONS];

  constructor(
    private readonly retention: RetentionRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    this.registerStep({ name: 'action-tokens', run: (c) => this.retention.deleteExpiredTokens(c.now, c.stopping) });
    // Tombstones of deleted people (incremental sync) live as long as the change feed.
    this.registerStep({
      name: 'erased-people',
      run: (c) => this.retention.deleteOldTombstones(c.now, this.config.CHANGE_FEED_RETENTION_DAYS),
    });
  }

  registerStep(step: RetentionStep): void {
    this.steps.push(step);
  }

  /**
   * A step that deletes, in batches, the rows of `table` matching `where` (an SQL condition,
   * `$1` the cutoff): an action kind's records never confirmed (from its definition).
   */
  registerExpiry(table: string, where: string): void {
    // A protected person's records go sooner (PROTECTED_RETENTION_DAYS), with the people only they held.
    this.registerStep({
      name: `${table}:protected`,
      run: (c) => this.retention.deleteExpiredProtected(table, where, c.protectedCutoff, this.keepConditions, c.stopping),
    });
    this.registerStep({ name: table, run: (c) => this.retention.deleteExpired(table, where, c.cutoff, c.stopping) });
  }

  registerPersonKeepCondition(sql: string): void {
    this.keepConditions.push(sql);
  }

  /** One pass; returns how many records each step deleted. */
  async purge(stopping: () => boolean = () => false): Promise<Record<string, number>> {
    const now = this.clock.now();
    const cutoff = new Date(now.getTime() - this.config.RETENTION_UNCONFIRMED_DAYS * 86_400_000);
    const protectedCutoff = new Date(
      now.getTime() - Math.min(this.config.PROTECTED_RETENTION_DAYS, this.config.RETENTION_UNCONFIRMED_DAYS) * 86_400_000,
    );
    const counts: Record<string, number> = {};
    for (const step of this.steps) {
      if (stopping()) return counts;
      counts[step.name] = await step.run({ cutoff, protectedCutoff, now, stopping });
    }
    counts.people = await this.retention.deleteAbandonedPeople(cutoff, this.keepConditions, stopping);
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    if (total > 0) this.logger.log(`retention purged ${JSON.stringify(counts)}`);
    return counts;
  }
}
