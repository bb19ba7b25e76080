import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { EventsRepository } from '../events/events.repository';
import type { MailingResponse } from '../mailings/dto/mailing.dto';
import { MailingsService } from '../mailings/mailings.service';
import type { AdminPetitionResponse } from '../petitions/dto/petition.dto';
import { PetitionsAdminService } from '../petitions/petitions-admin.service';
import { DashboardRepository, ListGrowthRow, UpcomingEventRow } from './dashboard.repository';

export const DASHBOARD_RANGES = [30, 90] as const;
export type DashboardRange = (typeof DASHBOARD_RANGES)[number];

export interface DayCount {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  count: number;
}

export interface Dashboard {
  days: DashboardRange;
  signups: DayCount[];
  signatures: DayCount[];
  lists: ListGrowthRow[];
  /** The default list's subscriber count at the end of each day of the range. */
  defaultListGrowth: DayCount[];
  petitions: AdminPetitionResponse[];
  events: Array<UpcomingEventRow & { seatsTaken: number }>;
  mailings: MailingResponse[];
}

const SHOWN = 10;

/**
 * What the dashboard shows. Per-day counts come from the rollup; petitions, their progress
 * and the mailings' stats come from the very services the organizer API answers with, so
 * the two never disagree.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly dashboard: DashboardRepository,
    private readonly petitions: PetitionsAdminService,
    private readonly mailings: MailingsService,
    private readonly events: EventsRepository,
    private readonly clock: Clock,
  ) {}

  async get(days: DashboardRange): Promise<Dashboard> {
    const now = this.clock.now();
    const range = utcDays(now, days);
    const from = range[0];
    const [signups, signatures, lists, petitions, events, mailings] = await Promise.all([
      this.dashboard.perDay('signup', from),
      this.dashboard.perDay('signature', from),
      this.dashboard.listGrowth(from),
      this.petitions.list(SHOWN, undefined, 'open'),
      this.dashboard.upcomingEvents(now, SHOWN),
      this.mailings.list(5),
    ]);
    const seats = await this.events.seatsTaken(events.map((e) => e.id));
    const defaultList = lists.find((l) => l.isDefault);
    const defaultDaily = defaultList ? await this.dashboard.perDay('subscriber', from, defaultList.id) : new Map<string, number>();
    return {
      days,
      signups: range.map((day) => ({ day, count: signups.get(day) ?? 0 })),
      signatures: range.map((day) => ({ day, count: signatures.get(day) ?? 0 })),
      lists,
      defaultListGrowth: runningTotals(range, defaultDaily, defaultList?.subscribers ?? 0),
      petitions: petitions.items,
      events: events.map((e) => ({ ...e, seatsTaken: seats.get(e.id) ?? 0 })),
      mailings: mailings.items,
    };
  }
}

/** The `days` UTC dates ending today, oldest first, as `YYYY-MM-DD`. */
export function utcDays(now: Date, days: number): string[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Array.from({ length: days }, (_, i) => new Date(today - (days - 1 - i) * 86_400_000).toISOString().slice(0, 10));
}

/** The total at the end of each day, walking back from today's `total` through each day's net change. */
export function runningTotals(range: string[], daily: Map<string, number>, total: number): DayCount[] {
  const out: DayCount[] = [];
  let running = total;
  for (let i = range.length - 1; i >= 0; i--) {
    out.unshift({ day: range[i], count: running });
    running -= daily.get(range[i]) ?? 0;
  }
  return out;
}
