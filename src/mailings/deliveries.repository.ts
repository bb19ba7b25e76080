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
  /** A protected person (docs/safety.md): the variant's neutral subject and sender, if it has them. */
  protected: boolean;
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
 * only added when the mailing names petitions or events (and the country and language
 * clauses when it names some), so the common case stays a plain semi-join on subscriptions.
 */
export function audienceConditionsSql(mailing: Pick<Mailing, 'countries' | 'languages' | 'petitionIds' | 'eventIds'>): string {
  // Only the narrowing clauses this mailing uses are written out: a clause that is always
  // true for it (an empty list of countries, say) would still count against the planner's
  // row estimate and push it from an ordered index scan into scanning and sorting everyone.
  const conditions = [
    `EXISTS (SELECT 1 FROM subscriptions s WHERE s.person_id = p.id AND s.list_id = ANY(m.list_ids) AND s.status = 'subscribed')`,
  ];
  if (mailing.countries.length > 0) conditions.push(`p.country = ANY(m.countries)`);
  if (mailing.languages.length > 0) conditions.push(`lower(split_part(p.language, '-', 1)) = ANY(m.languages)`);
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

/** What became of one claimed delivery; see `DeliveriesRepository.settle`. */
export interface DeliveryOutcome {
  id: string;
  outcome: 'sent' | 'refused' | 'failed' | 'skipped' | 'retry';
  /** The content variant sent (`sent` only). */
  language?: string;
  error?: string;
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Deliveries: one row per (mailing, person), stored before sending; the send lock of each email. */
@Injectable()
export class DeliveriesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the recipients among the next `span` people after `after` (by id), in one
   * set-based statement, numbered into batches of `batchSize` from `firstBatch`. Returns how
   * many were stored, how many batches they fill, and the last person id of the range
   * (null when the range reached the end of the people table: nothing is left to plan).
   * Keyset on people, not on recipients: the range is found on the primary key alone, so
   * the audience is matched over a known slice of people whatever its size.
   */
  async planRange(
    tx: EntityManager,
    mailing: Mailing,
    after: string | null,
    firstBatch: number,
    batchSize: number,
    span: number,
  ): Promise<{ through: string | null; count: number; batches: number }> {
    const [bound]: Array<{ through: string | null }> = await tx.query(
      `SELECT (SELECT id FROM people WHERE id > $1 ORDER BY id OFFSET $2 LIMIT 1) AS through`,
      [after ?? NIL_UUID, span - 1],
    );
    const rows: Array<{ count: number }> = await tx.query(
      `WITH page AS (
         SELECT p.id, row_number() OVER (ORDER BY p.id) AS n FROM people p, mailings m
         WHERE m.id = $1 AND p.id > $2 AND ($3::uuid IS NULL OR p.id <= $3::uuid) AND ${audienceConditionsSql(mailing)}
       ), stored AS (
         INSERT INTO mailing_deliveries (mailing_id, person_id, batch)
         SELECT $1, id, $4 + (n - 1) / $5 FROM page
         ON CONFLICT (mailing_id, person_id) DO NOTHING
       )
       SELECT count(*)::int AS count FROM page`,
      [mailing.id, after ?? NIL_UUID, bound.through, firstBatch, batchSize],
    );
    const count = rows[0].count;
    return { through: bound.through, count, batches: Math.ceil(count / batchSize) };
  }

  /** Pending deliveries of a batch in claim order, with their addresses (to hash for the suppression check). */
  async pendingOfBatch(mailingId: string, batch: number): Promise<Array<{ id: string; email: string }>> {
    return this.dataSource.query(
      `SELECT d.id, p.email FROM mailing_deliveries d JOIN people p ON p.id = d.person_id
       WHERE d.mailing_id = $1 AND d.batch = $2 AND d.status = 'pending' ORDER BY d.person_id`,
      [mailingId, batch],
    );
  }

  /**
   * Takes the send lock of these deliveries (pending → sending) where they are still
   * pending and not locked by anyone else, in one statement that re-checks, for each, that
   * the mailing is still sending, the person still in its audience
   * (`audienceConditionsSql`: subscribed to one of its lists, still matching its countries,
   * languages, petitions and events) and their address (`hash`, the keyed hash the caller
   * computed) not suppressed. An ineligible delivery becomes skipped instead. Returns
   * nothing once the mailing is no longer sending.
   */
  async claimChunk(
    mailing: Pick<Mailing, 'id' | 'countries' | 'languages' | 'petitionIds' | 'eventIds'>,
    candidates: Array<{ id: string; hash: string }>,
  ): Promise<ClaimedDelivery[]> {
    if (candidates.length === 0) return [];
    // TypeORM answers an UPDATE with [rows, affected count].
    const [rows]: [ClaimedDelivery[], number] = await this.dataSource.query(
      `WITH next AS (
         -- By primary key (= ANY, not a join on unnest, which the planner may turn into a
         -- scan of the whole mailing's pending rows).
         SELECT d.id, d.person_id FROM mailing_deliveries d
         WHERE d.id = ANY($2::uuid[]) AND d.mailing_id = $1 AND d.status = 'pending'
         FOR UPDATE SKIP LOCKED
       ), who AS (
         SELECT next.id, p.id AS person_id, p.email, p.given_name, p.language, p.protected,
                (${audienceConditionsSql(mailing)}) AS eligible,
                EXISTS (SELECT 1 FROM unnest($2::uuid[], $3::text[]) AS c(id, hash)
                        JOIN suppressions x ON x.email_hash = c.hash WHERE c.id = next.id) AS suppressed,
                (SELECT s.list_id FROM subscriptions s
                 WHERE s.person_id = p.id AND s.list_id = ANY(m.list_ids) AND s.status = 'subscribed'
                 ORDER BY array_position(m.list_ids, s.list_id) LIMIT 1) AS list_id
         FROM next JOIN people p ON p.id = next.person_id JOIN mailings m ON m.id = $1 AND m.status = 'sending'
       )
       UPDATE mailing_deliveries d
       SET status = CASE WHEN who.eligible AND who.list_id IS NOT NULL AND NOT who.suppressed THEN 'sending' ELSE 'skipped' END,
           last_error = CASE WHEN who.suppressed THEN 'suppressed'
                             WHEN who.eligible AND who.list_id IS NOT NULL THEN d.last_error
                             ELSE 'no longer in the audience' END,
           locked_at = now(), attempts = d.attempts + 1
       FROM who WHERE d.id = who.id
       RETURNING d.id, d.status, d.attempts, who.person_id AS "personId", who.email, who.given_name AS "givenName",
                 who.language, who.list_id AS "listId", who.protected`,
      [mailing.id, candidates.map((c) => c.id), candidates.map((c) => c.hash)],
    );
    return rows;
  }

  /**
   * Records what became of a claimed chunk, one statement for all of it: `sent` (with the
   * variant's language), `refused` (an SMTP 5xx: failed and counted as a hard bounce),
   * `failed` (given up), `skipped` (suppressed since planning), `retry` (a temporary refusal:
   * pending again, lock given back). Only rows still `sending` change.
   */
  async settle(outcomes: DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(
      `UPDATE mailing_deliveries d
       SET status = CASE v.outcome WHEN 'sent' THEN 'sent' WHEN 'skipped' THEN 'skipped' WHEN 'retry' THEN 'pending' ELSE 'failed' END,
           sent_at = CASE WHEN v.outcome = 'sent' THEN now() ELSE d.sent_at END,
           language = CASE WHEN v.outcome = 'sent' THEN v.language ELSE d.language END,
           bounced_at = CASE WHEN v.outcome = 'refused' THEN now() ELSE d.bounced_at END,
           locked_at = CASE WHEN v.outcome = 'retry' THEN NULL ELSE d.locked_at END,
           last_error = CASE WHEN v.outcome = 'sent' THEN NULL ELSE left(v.error, 1000) END
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS v(id, outcome, language, error)
       WHERE d.id = ANY($1::uuid[]) AND d.id = v.id AND d.status = 'sending'`,
      [
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.outcome),
        outcomes.map((o) => o.language ?? null),
        outcomes.map((o) => o.error ?? null),
      ],
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
