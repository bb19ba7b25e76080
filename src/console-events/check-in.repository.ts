import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { RsvpStatus } from '../events/rsvp.entity';

export interface DoorRsvp {
  id: string;
  givenName: string | null;
  familyName: string | null;
  email: string | null;
  guests: number;
  status: RsvpStatus;
  attended: boolean | null;
  waitlistPosition: number | null;
}

export interface DoorCounts {
  going: number;
  goingWithGuests: number;
  attended: number;
  attendedWithGuests: number;
  waitlisted: number;
}

const COLUMNS = `id, given_name AS "givenName", family_name AS "familyName", email, guests, status, attended,
                 waitlist_position::int AS "waitlistPosition"`;

/** `%`, `_` and `\` as themselves in a LIKE pattern. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The RSVP list in seat order (going by when the link was used, then the waitlist by its
 * position) and the search at the door. Reads only; the attended mark is written by the
 * organizer API's EventsAdminService.
 */
@Injectable()
export class CheckInRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Going and waitlisted RSVPs in the order seats go (IDX_rsvps_event_status). */
  seatOrder(eventId: string, limit: number): Promise<DoorRsvp[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM rsvps WHERE event_id = $1 AND status IN ('going', 'waitlisted')
       ORDER BY status = 'waitlisted', CASE WHEN status = 'going' THEN going_at END NULLS LAST, waitlist_position, created_at, id
       LIMIT $2`,
      [eventId, limit],
    );
  }

  /** Going and waitlisted RSVPs whose name (given, family or both) or address contains `query`, case and accents as typed. */
  search(eventId: string, query: string, limit: number): Promise<DoorRsvp[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM rsvps
       WHERE event_id = $1 AND status IN ('going', 'waitlisted')
         AND (coalesce(given_name, '') || ' ' || coalesce(family_name, '') ILIKE $2
              OR coalesce(family_name, '') || ' ' || coalesce(given_name, '') ILIKE $2
              OR email ILIKE $2)
       ORDER BY status = 'waitlisted', given_name, family_name, id LIMIT $3`,
      [eventId, `%${likeLiteral(query)}%`, limit],
    );
  }

  async counts(eventId: string): Promise<DoorCounts> {
    const [row]: DoorCounts[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE status = 'going')::int AS going,
              coalesce(sum(1 + guests) FILTER (WHERE status = 'going'), 0)::int AS "goingWithGuests",
              count(*) FILTER (WHERE status = 'going' AND attended)::int AS attended,
              coalesce(sum(1 + guests) FILTER (WHERE status = 'going' AND attended), 0)::int AS "attendedWithGuests",
              count(*) FILTER (WHERE status = 'waitlisted')::int AS waitlisted
       FROM rsvps WHERE event_id = $1 AND status IN ('going', 'waitlisted')`,
      [eventId],
    );
    return row;
  }
}
