import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Mailing } from './mailing.entity';

/** A claimed delivery with what its email needs, read in the same statement as the claim. */
export interface ClaimedDelivery {
  id: string;
  status: 'sending' | 'skipped';
  attempts: number;
  personId: string;
  email: string;
  givenName: string | null;
  language: string | null;
  listId: string | null;
}

/**
 * THE audience of a mailing, as conditions on `people p` with the mailing as `m`: people
 * subscribed (status `subscribed`) to at least one of its lists, narrowed (never widened:
 * every clause is AND-ed onto the subscription) by countries, languages, signers of its
 * petitions and attendees of its events. Used by the planner and again by the claim just
 * before each message, so whoever leaves the audience in between is skipped.
 *
 * No `people.confirmed_at` condition: a `subscribed` subscription only arises from a used
 * confirmation link (which confirms the person) or from an import with
 * `?consent=confirmed`, where the organizer vouches for the consent (consent record
 * `organizer-vouched`) without the person having proven the address. Both are
 * subscribers the organizer expects to reach; a pending subscription never is one.
 *
 * "Signer" = a confirmed signature (pending ones are not counted anywhere); "attendee" =
 * an RSVP that is `going`, or marked `attended` by an organizer. The two EXISTS clauses are
 * only added when the mailing names petitions or events, so the common case stays a plain
 * semi-join on subscriptions.
 */
export function audienceConditionsSql(mailing: Pick<Mailing, 'petitionIds' | 'eventIds'>): string {
  const conditions = [
    `EXISTS (SELECT 1 FROM subscriptions s WHERE s.person_id = p.id AND s.list_id = ANY(m.list_ids) AND s.status = 'subscribed')`,
    `(cardinality(m.countries) = 0 OR p.country = ANY(m.countries))`,
    `(cardinality(m.languages) = 0 OR lower(split_part(p.language, '-', 1)) = ANY(m.languages))`,
  ];
  if (mailing.petitionIds.length > 0) {
    conditions.push(
      `EXISTS (SELECT 1 FROM signatures sg WHERE sg.person_id = p.id AND sg.petition_id = ANY(m.petition_ids) AND sg.status = 'confirmed')`,
    );
  }
  if (mailing.eventIds.length > 0) {
    conditions.push(
      `EXISTS (SELECT 1 FROM rsvps r WHERE r.person_id = p.id AND r.event_id = ANY(m.event_ids) AND (r.status = 'going' OR r.attended IS TRUE))`,
    );
  }
  return conditions.join('\n AND ');
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Deliveries: one row per (mailing, person), stored before sending; the send lock of each email. */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the next page of recipients (people after `after`, by id) as batch `batch`, in
   * one set-based statement. Returns the page's last person id, or null when none is left.
   */
  async planPage(
    tx: EntityManager,
    mailing: Mailing,
    after: string | null,
    batch: number,
    size: number,
  ): Promise<{ last: string | null; count: number }> {
    const rows: Array<{ last: string | null; count: number }> = await tx.query(
      `WITH page AS (
         SELECT p.id FROM people p, mailings m
         WHERE m.id = $1 AND p.id > $2 AND ${audienceConditionsSql(mailing)}
         ORDER BY p.id LIMIT $4
       ), stored AS (
         INSERT INTO mailing_deliveries (mailing_id, person_id, batch)
         SELECT $1, id, $3 FROM page
         ON CONFLICT (mailing_id, person_id) DO NOTHING
       )
       SELECT (SELECT id FROM page ORDER BY id DESC LIMIT 1) AS last, (SELECT count(*) FROM page)::int AS count`,
      [mailing.id, after ?? NIL_UUID, batch, size],
    );
    return rows[0];
  }

  /** Pending deliveries of a batch with their addresses, to check against the suppression list. */
  async pendingAddresses(mailingId: string, batch: number): Promise<Array<{ id: string; email: string }>> {
    return this.dataSource.query(
      `SELECT d.id, p.email FROM mailing_deliveries d JOIN people p ON p.id = d.person_id
       WHERE d.mailing_id = $1 AND d.batch = $2 AND d.status = 'pending'`,
      [mailingId, batch],
    );
  }

  async skip(ids: string[], reason: string): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `UPDATE mailing_deliveries SET status = 'skipped', last_error = $2 WHERE id = ANY($1) AND status = 'pending'`,
      [ids, reason],
    );
  }

  /**
   * Takes the send lock of the batch's next pending delivery (pending → sending), re-checking
   * in the same statement that the mailing is still sending and the person still in its
   * audience (`audienceConditionsSql`: subscribed to one of its lists, still matching its
   * countries, languages, petitions and events). An ineligible person's delivery becomes
   * skipped instead. Returns null when nothing is left to claim or the mailing was cancelled.
   * `exclude`: deliveries given back after a temporary failure, retried by the next run.
   */
  async claimNext(
    mailing: Pick<Mailing, 'id' | 'petitionIds' | 'eventIds'>,
    batch: number,
    exclude: string[],
  ): Promise<ClaimedDelivery | null> {
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows]: [ClaimedDelivery[], number] = await this.dataSource.query(
      `WITH next AS (
         SELECT d.id, d.person_id FROM mailing_deliveries d
         WHERE d.mailing_id = $1 AND d.batch = $2 AND d.status = 'pending' AND NOT (d.id = ANY($3::uuid[]))
         ORDER BY d.person_id LIMIT 1
         FOR UPDATE SKIP LOCKED
       ), who AS (
         SELECT next.id, p.id AS person_id, p.email, p.given_name, p.language,
                (${audienceConditionsSql(mailing)}) AS eligible,
                (SELECT s.list_id FROM subscriptions s
                 WHERE s.person_id = p.id AND s.list_id = ANY(m.list_ids) AND s.status = 'subscribed'
                 ORDER BY array_position(m.list_ids, s.list_id) LIMIT 1) AS list_id
         FROM next JOIN people p ON p.id = next.person_id JOIN mailings m ON m.id = $1 AND m.status = 'sending'
       )
       UPDATE mailing_deliveries d
       SET status = CASE WHEN who.eligible AND who.list_id IS NOT NULL THEN 'sending' ELSE 'skipped' END,
           last_error = CASE WHEN who.eligible AND who.list_id IS NOT NULL THEN d.last_error ELSE 'no longer in the audience' END,
           locked_at = now(), attempts = d.attempts + 1
       FROM who WHERE d.id = who.id
       RETURNING d.id, d.status, d.attempts, who.person_id AS "personId", who.email, who.given_name AS "givenName",
                 who.language, who.list_id AS "listId"`,
      [mailing.id, batch, exclude],
    );
    return rows[0] ?? null;
  }

  async markSent(id: string, language: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE mailing_deliveries SET status = 'sent', sent_at = now(), language = $2, last_error = NULL WHERE id = $1 AND status = 'sending'`,
      [id, language],
    );
  }

  /** A permanent SMTP refusal (5xx): failed, and counted as a hard bounce. */
  async markRefused(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE mailing_deliveries SET status = 'failed', bounced_at = now(), last_error = $2 WHERE id = $1 AND status = 'sending'`,
      [id, error.slice(0, 1000)],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE mailing_deliveries SET status = 'failed', last_error = $2 WHERE id = $1 AND status = 'sending'`, [
      id,
      error.slice(0, 1000),
    ]);
  }

  /** Gives the lock back after a temporary failure, for a later run of the batch. */
  async release(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE mailing_deliveries SET status = 'pending', locked_at = NULL, last_error = $2 WHERE id = $1 AND status = 'sending'`,
      [id, error.slice(0, 1000)],
    );
  }

  /**
   * Deliveries of a batch left `sending` longer than any live send can take belong to a
   * worker that died with the message handed to SMTP: counted as sent, marked uncertain,
   * never sent again (see README.md). Returns how many.
   */
  async settleAbandoned(mailingId: string, batch: number, olderThanSeconds: number): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE mailing_deliveries SET status = 'sent', uncertain = true, sent_at = locked_at,
              last_error = 'worker stopped during the SMTP transaction; assumed delivered, not retried'
       WHERE mailing_id = $1 AND batch = $2 AND status = 'sending' AND locked_at < now() - make_interval(secs => $3)`,
      [mailingId, batch, olderThanSeconds],
    );
    return affected;
  }

  async countInFlight(mailingId: string, batch: number): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM mailing_deliveries WHERE mailing_id = $1 AND batch = $2 AND status IN ('pending', 'sending')`,
      [mailingId, batch],
    );
    return rows[0].n;
  }

  /** Batches of a mailing that still have deliveries to send (for re-driving lost jobs). */
  async unfinishedBatches(mailingId: string): Promise<number[]> {
    const rows: Array<{ batch: number }> = await this.dataSource.query(
      `SELECT DISTINCT batch FROM mailing_deliveries WHERE mailing_id = $1 AND status IN ('pending', 'sending') ORDER BY batch`,
      [mailingId],
    );
    return rows.map((r) => r.batch);
  }

  /** A cancelled mailing's batch: what was not sent will not be. */
  async cancelPending(mailingId: string, batch: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE mailing_deliveries SET status = 'cancelled' WHERE mailing_id = $1 AND batch = $2 AND status = 'pending'`,
      [mailingId, batch],
    );
  }

  /** The `deliveries` section of a person's subject-access export: which newsletters, and what became of each. */
  async deliveriesOf(personId: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT d.mailing_id AS "mailingId", m.name AS "mailingName", d.status, d.sent_at AS "sentAt"
       FROM mailing_deliveries d JOIN mailings m ON m.id = d.mailing_id
       WHERE d.person_id = $1 ORDER BY d.created_at, d.id`,
      [personId],
    );
  }

  /**
   * Erasure step: the person's deliveries stay as anonymous rows (no person, no error text,
   * which may quote the address), so past mailings' stats keep adding up. One still pending
   * will never be sent: skipped, so the mailing can finish. One `sending` belongs to a
   * message already handed to SMTP; it settles by its id as usual.
   */
  async anonymiseDeliveriesOf(tx: EntityManager, personId: string): Promise<void> {
    await tx.query(
      `UPDATE mailing_deliveries
       SET person_id = NULL,
           status = CASE WHEN status = 'pending' THEN 'skipped' ELSE status END,
           last_error = CASE WHEN status = 'pending' THEN 'erased' END
       WHERE person_id = $1`,
      [personId],
    );
  }

  /** Records a bounce or complaint on the latest newsletter the address was sent. */
  async recordEvent(emailNormalized: string, kind: 'bounce' | 'complaint'): Promise<void> {
    const column = kind === 'bounce' ? 'bounced_at' : 'complained_at';
    await this.dataSource.query(
      `UPDATE mailing_deliveries SET ${column} = coalesce(${column}, now())
       WHERE id = (SELECT d.id FROM mailing_deliveries d JOIN people p ON p.id = d.person_id
                   WHERE p.email_normalized = $1 AND d.status = 'sent' ORDER BY d.sent_at DESC LIMIT 1)`,
      [emailNormalized],
    );
  }
}
