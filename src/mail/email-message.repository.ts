import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EmailMessage } from './email-message.entity';

export interface NewEmailMessage {
  kind: string;
  dedupeKey: string;
  personId: string | null;
  language: string;
  params: Record<string, string>;
}

/**
 * A `sending` row older than this belongs to a worker that died (or lost PostgreSQL until it
 * stopped) after taking the lock: longer than any live SMTP transaction can take.
 */
export const ABANDONED_AFTER_SECONDS = 600;
/** After this many tries a message is given up on (marked failed). */
export const MAX_SEND_ATTEMPTS = 10;

/** What became of a message its sender locked, as the sender knows it. */
export type SendOutcome =
  | { id: string; status: 'sent'; at: Date; providerMessageId: string }
  | { id: string; status: 'failed' | 'pending'; at: Date; error: string };

@Injectable()
export class EmailMessageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates the message, or returns the existing one with the same dedupe key. */
  async create(tx: EntityManager, message: NewEmailMessage): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO email_messages (kind, dedupe_key, person_id, language, params)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (dedupe_key) DO UPDATE SET dedupe_key = EXCLUDED.dedupe_key
       RETURNING id`,
      [message.kind, message.dedupeKey, message.personId, message.language, JSON.stringify(message.params)],
    );
    return rows[0].id;
  }

  findIdByDedupeKey(dedupeKey: string): Promise<string | null> {
    return this.dataSource
      .getRepository(EmailMessage)
      .findOne({ where: { dedupeKey }, select: { id: true } })
      .then((m) => m?.id ?? null);
  }

  /**
   * Whether one more confirmation email to a person would break a daily cap: `perSubject`
   * emails about one thing (kinds `subjectKinds`, params containing `about`: the same
   * petition, event, or the join flow) or `total` emails of `allKinds` whatever they are about.
   * Repeats are what an attacker can multiply; a supporter's first action on each subject
   * must get its link, so only the ceiling counts across subjects.
   */
  async confirmationCapReached(
    tx: EntityManager,
    personId: string,
    cap: { subjectKinds: string[]; about?: Record<string, string>; perSubject: number; allKinds: string[]; total: number },
  ): Promise<boolean> {
    const rows: Array<{ subject: number; total: number }> = await tx.query(
      `SELECT count(*) FILTER (WHERE kind = ANY($2) AND params @> $3::jsonb)::int AS subject, count(*)::int AS total
       FROM email_messages
       WHERE person_id = $1 AND kind = ANY($4) AND created_at > now() - interval '24 hours'`,
      [personId, cap.subjectKinds, JSON.stringify(cap.about ?? {}), cap.allKinds],
    );
    return rows[0].subject >= cap.perSubject || rows[0].total >= cap.total;
  }

  /** A message that may still be sent: pending (a `sending` one is never taken again). */
  async findSendable(id: string): Promise<EmailMessage | null> {
    const rows: EmailMessage[] = await this.dataSource.query(
      `SELECT id, kind, person_id AS "personId", language, params, attempts FROM email_messages
       WHERE id = $1 AND status = 'pending'`,
      [id],
    );
    return rows[0] ?? null;
  }

  /**
   * Takes the send lock of several messages in one statement (the sends of one worker that
   * start together, group-committed): pending → sending. Returns the ids whose lock this call
   * took; a message already sent, failed or taken by another worker is left alone.
   */
  async lockManyForSending(ids: string[]): Promise<Set<string>> {
    // TypeORM answers an UPDATE with [rows, affected].
    const [rows]: [Array<{ id: string }>, number] = await this.dataSource.query(
      `UPDATE email_messages SET status = 'sending', locked_at = now(), attempts = attempts + 1
       WHERE id = ANY($1::uuid[]) AND status = 'pending' RETURNING id`,
      [ids],
    );
    return new Set(rows.map((r) => r.id));
  }

  /** Gives up on a message before its lock was taken (a sent one is never marked failed). */
  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE email_messages SET status = 'failed', last_error = $2 WHERE id = $1 AND status <> 'sent'`, [
      id,
      error.slice(0, 1000),
    ]);
  }

  /**
   * Records what SMTP answered for messages their sender locked, in one statement: `sent`
   * (at the time SMTP accepted it), `failed` (refused for good) or `pending` (not sent: the
   * lock is given back for a retry). What a sender knows replaces an uncertain settlement
   * made while it could not say (see `settleAbandoned`); anything else is left alone.
   */
  async recordOutcomes(outcomes: SendOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.dataSource.query(
      `UPDATE email_messages m SET
         status = v.status,
         sent_at = CASE WHEN v.status = 'sent' THEN v.at END,
         provider_message_id = CASE WHEN v.status = 'sent' THEN v.provider_id ELSE m.provider_message_id END,
         locked_at = CASE WHEN v.status = 'pending' THEN NULL ELSE m.locked_at END,
         uncertain = false,
         last_error = v.error
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[]) AS v(id, status, at, provider_id, error)
       WHERE m.id = v.id AND (m.status = 'sending' OR (m.status = 'sent' AND m.uncertain))`,
      [
        outcomes.map((o) => o.id),
        outcomes.map((o) => o.status),
        outcomes.map((o) => o.at.toISOString()),
        outcomes.map((o) => (o.status === 'sent' ? o.providerMessageId : null)),
        outcomes.map((o) => (o.status === 'sent' ? null : o.error.slice(0, 1000))),
      ],
    );
  }

  /**
   * Messages left `sending` longer than any live send takes: their sender took the lock, may
   * have handed them to SMTP, and never said what happened (killed, or PostgreSQL away until
   * it stopped). In doubt they count as sent, marked uncertain, and are never sent again: a
   * second copy is what the platform promises never to send, and a supporter whose email
   * truly got lost can ask again. Returns how many.
   */
  async settleAbandoned(olderThanSeconds = ABANDONED_AFTER_SECONDS): Promise<number> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE email_messages SET status = 'sent', uncertain = true, sent_at = locked_at,
              last_error = 'its sender stopped after taking the lock; assumed sent, not sent again'
       WHERE status = 'sending' AND locked_at < now() - make_interval(secs => $1)`,
      [olderThanSeconds],
    );
    return affected;
  }

  /** Pending messages nobody has touched for a while (their job was lost): for re-driving. */
  async findStalePending(olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM email_messages
       WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1)
       ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((r) => r.id);
  }
}
