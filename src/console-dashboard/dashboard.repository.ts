import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DailyMetric } from './daily-count.entity';

export const NO_SUBJECT = '00000000-0000-0000-0000-000000000000';

export interface ListGrowthRow {
  id: string;
  slug: string;
  name: string;
  isDefault: boolean;
  isPublic: boolean;
  subscribers: number;
  /** Net change since `from`. */
  recent: number;
}

export interface UpcomingEventRow {
  id: string;
  title: string;
  startsAt: Date;
  timezone: string;
  capacity: number | null;
}

/**
 * The dashboard's reads. Per-day figures come from the `daily_counts` rollup (a few rows a
 * day), never from counting the records themselves.
 */
@Injectable()
export class DashboardRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** `YYYY-MM-DD` → count for the UTC days from `from` (inclusive); days with nothing are absent. */
  async perDay(metric: DailyMetric, from: string, subject = NO_SUBJECT): Promise<Map<string, number>> {
    const rows: Array<{ day: string; n: string }> = await this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(n)::bigint AS n FROM daily_counts
       WHERE metric = $1 AND subject = $2 AND day >= $3::date GROUP BY day`,
      [metric, subject, from],
    );
    return new Map(rows.map((r) => [r.day, Number(r.n)]));
  }

  /** Every list with its subscriber count and its net change since `from`, the default first. */
  listGrowth(from: string): Promise<ListGrowthRow[]> {
    return this.dataSource
      .query(
        `SELECT l.id, l.slug, l.name, l.is_default AS "isDefault", l.is_public AS "isPublic",
                coalesce(sum(c.n), 0)::bigint AS subscribers,
                coalesce(sum(c.n) FILTER (WHERE c.day >= $1::date), 0)::bigint AS recent
         FROM lists l LEFT JOIN daily_counts c ON c.metric = 'subscriber' AND c.subject = l.id
         GROUP BY l.id ORDER BY l.is_default DESC, l.created_at, l.id`,
        [from],
      )
      .then((rows: Array<ListGrowthRow & { subscribers: string; recent: string }>) =>
        rows.map((r) => ({ ...r, subscribers: Number(r.subscribers), recent: Number(r.recent) })),
      );
  }

  /** Published events still to start, soonest first (IDX_events_status_starts). */
  upcomingEvents(now: Date, limit: number): Promise<UpcomingEventRow[]> {
    return this.dataSource.query(
      `SELECT id, title, starts_at AS "startsAt", timezone, capacity FROM events
       WHERE status = 'published' AND starts_at >= $1 ORDER BY starts_at, id LIMIT $2`,
      [now, limit],
    );
  }
}
