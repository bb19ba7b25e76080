import { Column, Entity, PrimaryColumn } from 'typeorm';

export const DAILY_METRICS = ['signup', 'signature', 'subscriber'] as const;
export type DailyMetric = (typeof DAILY_METRICS)[number];

/**
 * The dashboard's rollup: how many records of a metric changed state on a UTC day, kept by
 * statement-level triggers in the same transaction as the change (migration
 * CreateDailyCounts), so it is exact and never lags. One statement adds one grouped upsert
 * whatever its row count (an import of a million rows included).
 *
 * - `signup`: sign-ups confirmed (`signups.status = 'confirmed'`), by `confirmed_at`.
 * - `signature`: signatures confirmed, by `confirmed_at`.
 * - `subscriber`: net change of a list's subscribed people (`subject` = the list), by the
 *   day of the change; summed over all days, a list's current subscriber count.
 *
 * `slot` spreads today's row over 16 (the backend's pid modulo 16) so that concurrent
 * confirmations on different connections do not queue behind one row lock until commit.
 * A deleted record (retention, a person's cascade) takes its count back on its own day.
 */
@Entity('daily_counts')
export class DailyCount {
  @PrimaryColumn({ type: 'varchar', length: 16 })
  metric!: DailyMetric;

  /** The list of a `subscriber` row; the nil uuid for the others (a primary key column cannot be null). */
  @PrimaryColumn({ type: 'uuid' })
  subject!: string;

  @PrimaryColumn({ type: 'date' })
  day!: string;

  @PrimaryColumn({ type: 'smallint' })
  slot!: number;

  @Column({ type: 'bigint', default: 0 })
  n!: string;
}
