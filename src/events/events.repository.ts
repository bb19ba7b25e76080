import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CURSOR_MICROS_SQL, CURSOR_TIMESTAMP_SQL, KeysetPosition, keysetClauses, SyncWindow } from '../common/pagination';
import { csvColumns } from '../exports/csv-columns';
import type { CsvQuery } from '../exports/csv-export.repository';
import { PendingOutboxEntry } from '../outbox/outbox.repository';
import { CampaignEvent } from './campaign-event.entity';
import { Rsvp, RsvpStatus } from './rsvp.entity';

/** The columns of an event's RSVP export (`rsvps.csv`). */
export const RSVP_CSV_COLUMNS = csvColumns(
  'r',
  'id:uuid personId:uuid email givenName familyName country language guests status attended waitlistPosition createdAt:timestamp confirmedAt:timestamp cancelledAt:timestamp protected',
);

export type NewEvent = Omit<CampaignEvent, 'id' | 'createdAt' | 'updatedAt' | 'cancelledAt' | 'revision'>;

export interface NewRsvpRequest {
  rsvpId: string;
  eventId: string;
  email: string;
  emailNormalized: string;
  givenName: string;
  familyName: string | null;
  country: string | null;
  language: string | null;
  subscribe: boolean;
  guests: number;
  ipHash: string | null;
  /** A protected person's request (docs/safety.md). */
  protected: boolean;
  outboxId: string;
}

export interface RsvpListRow {
  id: string;
  personId: string | null;
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  country: string | null;
  language: string | null;
  guests: number;
  status: RsvpStatus;
  attended: boolean | null;
  waitlistPosition: string | null;
  createdAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
  modifiedAt: Date;
  cursorMicros: string;
}

/** What a seat decision leaves on the RSVP, as the emails and reminder plans need it. */
export interface SeatDecision {
  id: string;
  personId: string | null;
  status: RsvpStatus;
  language: string | null;
  requestRound: number;
  waitlistPosition: string | null;
  goingAt: Date | null;
}

const SEAT_DECISION_COLUMNS = `r.id, r.person_id AS "personId", r.status, r.language, r.request_round AS "requestRound",
  r.waitlist_position AS "waitlistPosition", r.going_at AS "goingAt"`;

export interface PersonRsvp {
  id: string;
  eventId: string;
  eventSlug: string;
  eventTitle: string;
  eventStartsAt: Date;
  status: RsvpStatus;
  guests: number;
  attended: boolean | null;
  email: string | null;
  givenName: string | null;
  familyName: string | null;
  country: string | null;
  language: string | null;
  subscribe: boolean;
  createdAt: Date;
  confirmedAt: Date | null;
  cancelledAt: Date | null;
}

export interface DueReminder {
  rsvpId: string;
  offset: number;
  startsAt: string;
}

/** Events and RSVPs: the only code that touches their tables. */
@Injectable()
export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private manager(tx?: EntityManager): EntityManager {
    return tx ?? this.dataSource.manager;
  }

  async insertEvent(event: NewEvent): Promise<CampaignEvent> {
    const repo = this.dataSource.getRepository(CampaignEvent);
    const { identifiers } = await repo.insert(event);
    return repo.findOneOrFail({ where: { id: (identifiers[0] as { id: string }).id } });
  }

  findEvent(id: string, tx?: EntityManager): Promise<CampaignEvent | null> {
    return this.manager(tx).getRepository(CampaignEvent).findOne({ where: { id } });
  }

  findEventBySlug(slug: string): Promise<CampaignEvent | null> {
    return this.dataSource.getRepository(CampaignEvent).findOne({ where: { slug } });
  }

  /**
   * Locks the event row for the rest of the transaction. Every change to who holds a seat
   * (confirmation, cancellation, promotion, capacity change) takes this lock first, so
   * seat decisions on one event happen one after the other, in arrival order.
   */
  lockEvent(tx: EntityManager, id: string): Promise<CampaignEvent | null> {
    return tx.getRepository(CampaignEvent).createQueryBuilder('e').setLock('pessimistic_write').where('e.id = :id', { id }).getOne();
  }

  async updateEvent(tx: EntityManager, id: string, changes: Partial<CampaignEvent>): Promise<void> {
    if (Object.keys(changes).length === 0) return;
    await tx.getRepository(CampaignEvent).update({ id }, changes);
  }

  /** Organizer listing, newest first. */
  pageEvents(limit: number, after?: KeysetPosition): Promise<Array<CampaignEvent & { cursorMicros: string }>> {
    const qb = this.dataSource
      .getRepository(CampaignEvent)
      .createQueryBuilder('e')
      .addSelect(CURSOR_MICROS_SQL('e.created_at'), 'cursor_micros')
      .orderBy('e.created_at', 'DESC')
      .addOrderBy('e.id', 'DESC')
      .limit(limit);
    if (after) {
      qb.where(`(e.created_at, e.id) < (${CURSOR_TIMESTAMP_SQL(':micros')}, :id)`, { micros: after.createdAtMicros, id: after.id });
    }
    return qb
      .getRawAndEntities()
      .then(({ entities, raw }) =>
        entities.map((e, i) => Object.assign(e, { cursorMicros: String((raw[i] as { cursor_micros: string }).cursor_micros) })),
      );
  }

  /** Published events not yet over, soonest first (the keyset is the start time). */
  pageUpcoming(now: Date, limit: number, after?: KeysetPosition): Promise<Array<CampaignEvent & { cursorMicros: string }>> {
    const qb = this.dataSource
      .getRepository(CampaignEvent)
      .createQueryBuilder('e')
      .addSelect(CURSOR_MICROS_SQL('e.starts_at'), 'cursor_micros')
      .where(`e.status = 'published' AND e.ends_at > :now`, { now })
      .orderBy('e.starts_at', 'ASC')
      .addOrderBy('e.id', 'ASC')
      .limit(limit);
    if (after) {
      qb.andWhere(`(e.starts_at, e.id) > (${CURSOR_TIMESTAMP_SQL(':micros')}, :id)`, { micros: after.createdAtMicros, id: after.id });
    }
    return qb
      .getRawAndEntities()
      .then(({ entities, raw }) =>
        entities.map((e, i) => Object.assign(e, { cursorMicros: String((raw[i] as { cursor_micros: string }).cursor_micros) })),
      );
  }

  /** Seats held by going RSVPs (each person plus their guests), for the given events. */
  async seatsTaken(eventIds: string[], tx?: EntityManager): Promise<Map<string, number>> {
    if (eventIds.length === 0) return new Map();
    const rows: Array<{ eventId: string; seats: number }> = await this.manager(tx).query(
      `SELECT event_id AS "eventId", coalesce(sum(1 + guests), 0)::int AS seats FROM rsvps
       WHERE event_id = ANY($1) AND status = 'going' GROUP BY event_id`,
      [eventIds],
    );
    return new Map(rows.map((r) => [r.eventId, r.seats]));
  }

  /**
   * The whole API side of an RSVP, as one statement: the person (found or created, by a
   * write either way so every address costs the same), the RSVP (a repeated request bumps
   * its round, refreshes details only while it awaits its link, and reopens a refused or
   * cancelled one) and the outbox intent for the worker's `job`. Atomic without a transaction.
   */
  async request(r: NewRsvpRequest, job: { queue: string; name: string }): Promise<PendingOutboxEntry> {
    // Details and seat state of an RSVP that is going or waitlisted are left alone.
    const open = `rsvps.status IN ('pending', 'refused', 'cancelled')`;
    const keep = (column: string): string => `${column} = CASE WHEN ${open} THEN EXCLUDED.${column} ELSE rsvps.${column} END`;
    const reset = (column: string): string => `${column} = CASE WHEN ${open} THEN NULL ELSE rsvps.${column} END`;
    const rows: Array<PendingOutboxEntry> = await this.dataSource.query(
      `WITH person AS (
         INSERT INTO people (email, email_normalized) VALUES ($1, $2)
         ON CONFLICT (email_normalized) DO UPDATE SET email_normalized = EXCLUDED.email_normalized
         RETURNING id
       ), rsvp AS (
         INSERT INTO rsvps (id, event_id, person_id, email, given_name, family_name, country, language, subscribe, guests, ip_hash, protected)
         SELECT $3, $4, person.id, $1, $5, $6, $7, $8, $9, $10, $11, $15 FROM person
         ON CONFLICT (event_id, person_id) DO UPDATE SET
           request_round = rsvps.request_round + 1,
           status = CASE WHEN ${open} THEN 'pending' ELSE rsvps.status END,
           ${keep('email')}, ${keep('given_name')}, ${keep('family_name')}, ${keep('country')},
           ${keep('language')}, ${keep('subscribe')}, ${keep('guests')}, ${keep('ip_hash')},
           protected = rsvps.protected OR EXCLUDED.protected,
           ${reset('confirmed_at')}, ${reset('cancelled_at')}, ${reset('waitlist_position')},
           ${reset('going_at')}, ${reset('cancel_token_id')},
           updated_at = now()
         RETURNING id, request_round
       )
       INSERT INTO outbox (id, queue, job_name, job_id, payload)
       SELECT $12, $13, $14, 'rsvp-' || rsvp.id || '-' || rsvp.request_round, jsonb_build_object('rsvpId', rsvp.id)
       FROM rsvp
       RETURNING id, queue, job_name AS "jobName", job_id AS "jobId", payload`,
      [
        r.email,
        r.emailNormalized,
        r.rsvpId,
        r.eventId,
        r.givenName,
        r.familyName,
        r.country,
        r.language,
        r.subscribe,
        r.guests,
        r.ipHash,
        r.outboxId,
        job.queue,
        job.name,
        r.protected,
      ],
    );
    return rows[0];
  }

  findRsvp(id: string, tx?: EntityManager): Promise<Rsvp | null> {
    return this.manager(tx).getRepository(Rsvp).findOne({ where: { id } });
  }

  lockRsvp(tx: EntityManager, id: string): Promise<Rsvp | null> {
    return tx.getRepository(Rsvp).createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne();
  }

  async markProcessed(tx: EntityManager, id: string, round: number): Promise<void> {
    await tx.query(`UPDATE rsvps SET processed_round = greatest(processed_round, $2) WHERE id = $1`, [id, round]);
  }

  /**
   * The seat decision for a pending RSVP, in one statement run under the event's lock:
   * going while the seats held by going RSVPs (people plus guests) leave room for this
   * party, else waitlisted where the event has a waitlist, else refused. The statement's
   * snapshot is taken after the lock was granted, so it sees every earlier decision. Times
   * come from clock_timestamp() and the waitlist position from a sequence, both taken under
   * the lock: their order is the arrival order. Null when the RSVP was not pending.
   */
  async decideSeat(tx: EntityManager, rsvpId: string, cancelTokenId: string): Promise<SeatDecision | null> {
    const [rows]: [SeatDecision[], number] = await tx.query(
      `WITH d AS (
         SELECT r.id,
                CASE WHEN e.capacity IS NULL
                       OR (SELECT coalesce(sum(1 + g.guests), 0) FROM rsvps g WHERE g.event_id = e.id AND g.status = 'going') + 1 + r.guests <= e.capacity
                     THEN 'going'
                     WHEN e.waitlist THEN 'waitlisted'
                     ELSE 'refused' END AS status
         FROM rsvps r JOIN events e ON e.id = r.event_id
         WHERE r.id = $1 AND r.status = 'pending'
       )
       UPDATE rsvps r SET
         status = d.status,
         confirmed_at = clock_timestamp(),
         going_at = CASE WHEN d.status = 'going' THEN clock_timestamp() END,
         waitlist_position = CASE WHEN d.status = 'waitlisted' THEN nextval('rsvps_waitlist_position_seq') END,
         cancel_token_id = CASE WHEN d.status <> 'refused' THEN $2::uuid END,
         updated_at = now()
       FROM d WHERE r.id = d.id
       RETURNING ${SEAT_DECISION_COLUMNS}`,
      [rsvpId, cancelTokenId],
    );
    return rows[0] ?? null;
  }

  /** A waitlisted RSVP gets the seats it fits in (the caller checked, under the event's lock). */
  async promoteToGoing(tx: EntityManager, rsvpId: string): Promise<SeatDecision> {
    const [rows]: [SeatDecision[], number] = await tx.query(
      `UPDATE rsvps r SET status = 'going', going_at = clock_timestamp(), updated_at = now()
       WHERE r.id = $1 AND r.status = 'waitlisted'
       RETURNING ${SEAT_DECISION_COLUMNS}`,
      [rsvpId],
    );
    return rows[0];
  }

  async personLanguage(tx: EntityManager, personId: string | null): Promise<string | null> {
    if (!personId) return null;
    const rows: Array<{ language: string | null }> = await tx.query(`SELECT language FROM people WHERE id = $1`, [personId]);
    return rows[0]?.language ?? null;
  }

  async cancelRsvp(tx: EntityManager, id: string): Promise<void> {
    await tx.query(`UPDATE rsvps SET status = 'cancelled', cancelled_at = now(), updated_at = now() WHERE id = $1`, [id]);
  }

  /** The waitlist of an event in order, locked (the caller holds the event's lock too). */
  lockWaitlist(tx: EntityManager, eventId: string): Promise<Array<{ id: string; guests: number }>> {
    return tx.query(
      `SELECT id, guests FROM rsvps WHERE event_id = $1 AND status = 'waitlisted' AND person_id IS NOT NULL
       ORDER BY waitlist_position, id FOR UPDATE`,
      [eventId],
    );
  }

  async setAttended(eventId: string, rsvpId: string, attended: boolean | null): Promise<Rsvp | null> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE rsvps SET attended = $3, updated_at = now() WHERE id = $2 AND event_id = $1`,
      [eventId, rsvpId, attended],
    );
    return affected === 1 ? this.findRsvp(rsvpId) : null;
  }

  /** Oldest first; in a sync window, changed since, oldest change first (IDX_rsvps_event_modified). */
  pageRsvps(eventId: string, limit: number, status?: RsvpStatus, after?: KeysetPosition, sync?: SyncWindow): Promise<RsvpListRow[]> {
    const params: unknown[] = [eventId, limit];
    const where = [`r.event_id = $1`];
    if (status) {
      params.push(status);
      where.push(`r.status = $${params.length}`);
    }
    const keyset = keysetClauses('r', params, { after, sync, newestFirst: false });
    where.push(...keyset.conditions);
    return this.dataSource.query(
      `SELECT r.id, r.person_id AS "personId", r.email, r.given_name AS "givenName", r.family_name AS "familyName",
              r.country, r.language, r.guests, r.status, r.attended, r.waitlist_position AS "waitlistPosition",
              r.created_at AS "createdAt", r.confirmed_at AS "confirmedAt", r.cancelled_at AS "cancelledAt",
              r.modified_at AS "modifiedAt", ${keyset.cursorSql} AS "cursorMicros"
       FROM rsvps r WHERE ${where.join(' AND ')}
       ORDER BY ${keyset.orderBy} LIMIT $2`,
      params,
    );
  }

  /** Ids of the going and waitlisted RSVPs of an event, with the language to write to them in. */
  attendeesToTell(tx: EntityManager, eventId: string): Promise<Array<{ id: string; personId: string; language: string }>> {
    return tx.query(
      `SELECT r.id, r.person_id AS "personId", coalesce(r.language, p.language, 'en') AS language
       FROM rsvps r JOIN people p ON p.id = r.person_id
       WHERE r.event_id = $1 AND r.status IN ('going', 'waitlisted') ORDER BY r.created_at, r.id`,
      [eventId],
    );
  }

  goingRsvpIds(eventId: string, afterId: string | null, limit: number): Promise<string[]> {
    return this.dataSource
      .query(`SELECT id FROM rsvps WHERE event_id = $1 AND status = 'going' AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3`, [
        eventId,
        afterId,
        limit,
      ])
      .then((rows: Array<{ id: string }>) => rows.map((r) => r.id));
  }

  /**
   * Reminders that are due by `now` and not yet sent, whatever became of their delayed
   * job: derived from the events and RSVPs alone, so losing Redis loses no reminder. A
   * reminder due before the RSVP became going (it would only be late noise) is not due.
   */
  findDueReminders(now: Date, limit: number): Promise<DueReminder[]> {
    return this.dataSource.query(
      `SELECT r.id AS "rsvpId", o.offset_minutes AS "offset", (extract(epoch from e.starts_at) * 1000)::bigint::text AS "startsAt"
       FROM events e
       CROSS JOIN LATERAL unnest(e.reminders) AS o(offset_minutes)
       JOIN rsvps r ON r.event_id = e.id AND r.status = 'going' AND r.person_id IS NOT NULL
       WHERE e.status = 'published' AND e.starts_at > $1
         AND e.starts_at - make_interval(mins => o.offset_minutes) <= $1
         AND e.starts_at - make_interval(mins => o.offset_minutes) >= date_trunc('milliseconds', r.going_at)
         AND NOT EXISTS (
           SELECT 1 FROM email_messages m
           WHERE m.dedupe_key = 'reminder:' || r.id || ':' || o.offset_minutes || ':' || (extract(epoch from e.starts_at) * 1000)::bigint
         )
       LIMIT $2`,
      [now, limit],
    );
  }

  /** A person's RSVPs, for their detail and subject-access answers (people feature's section). */
  rsvpsOf(personId: string): Promise<PersonRsvp[]> {
    return this.dataSource.query(
      `SELECT r.id, r.event_id AS "eventId", e.slug AS "eventSlug", e.title AS "eventTitle", e.starts_at AS "eventStartsAt",
              r.status, r.guests, r.attended, r.email, r.given_name AS "givenName", r.family_name AS "familyName",
              r.country, r.language, r.subscribe, r.created_at AS "createdAt", r.confirmed_at AS "confirmedAt",
              r.cancelled_at AS "cancelledAt"
       FROM rsvps r JOIN events e ON e.id = r.event_id
       WHERE r.person_id = $1 ORDER BY r.created_at, r.id`,
      [personId],
    );
  }

  /**
   * Erasure (people feature's erasure step, inside its transaction): the RSVPs lose their
   * link to the person and everything typed; a going one keeps its seat (status, guests)
   * so counts stay true, anything waiting or pending is cancelled. Run before the person's
   * row is deleted; the foreign key would otherwise delete the rows themselves.
   */
  async anonymiseRsvpsOf(tx: EntityManager, personId: string): Promise<void> {
    await tx.query(
      `UPDATE rsvps SET person_id = NULL, email = NULL, given_name = NULL, family_name = NULL, country = NULL,
         language = NULL, ip_hash = NULL, cancel_token_id = NULL,
         status = CASE WHEN status IN ('pending', 'waitlisted') THEN 'cancelled' ELSE status END,
         cancelled_at = CASE WHEN status IN ('pending', 'waitlisted') THEN now() ELSE cancelled_at END,
         processed_round = request_round, updated_at = now()
       WHERE person_id = $1`,
      [personId],
    );
  }

  /**
   * The RSVP export of an event (`GET /api/v1/admin/exports/events/{id}/rsvps.csv`), in the
   * shape of the exports feature's `CsvQuery`: columns with their SQL, FROM/WHERE, params.
   */
  rsvpExportQuery(eventId: string, filters: { status?: RsvpStatus } = {}): CsvQuery {
    const params: unknown[] = [eventId];
    let where = 'r.event_id = $1';
    if (filters.status) {
      params.push(filters.status);
      where += ` AND r.status = $${params.length}`;
    }
    return {
      columns: RSVP_CSV_COLUMNS,
      // Anonymised RSVPs (person erased) stay as rows with only id, status, guests and times,
      // so the file adds up to the seat counts.
      from: `FROM rsvps r WHERE ${where}`,
      params,
    };
  }

  /** A pending RSVP of a suppressed address (it holds no seat). */
  async deletePendingRsvp(tx: EntityManager, id: string): Promise<void> {
    await tx.query(`DELETE FROM rsvps WHERE id = $1 AND status = 'pending'`, [id]);
  }
}
