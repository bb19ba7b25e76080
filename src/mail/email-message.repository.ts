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

/** A lock older than this belongs to a worker that died mid-send. */
const STALE_LOCK_SECONDS = 600;
/** Pending, or locked by a worker that died ($2 is STALE_LOCK_SECONDS). */
const SENDABLE = `(status = 'pending' OR (status = 'sending' AND locked_at < now() - make_interval(secs => $2)))`;
/** After this many tries a message is given up on (marked failed). */
export const MAX_SEND_ATTEMPTS = 10;

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

  /** A message that may still be sent (pending, or locked by a worker that died). */
  async findSendable(id: string): Promise<EmailMessage | null> {
    const rows: EmailMessage[] = await this.dataSource.query(
      `SELECT id, kind, person_id AS "personId", language, params, attempts FROM email_messages
       WHERE id = $1 AND ${SENDABLE}`,
      [id, STALE_LOCK_SECONDS],
    );
    return rows[0] ?? null;
  }

  /**
   * Takes the send lock: pending → sending. Returns the message only to the one caller that
   * got it; a message already sent, failed or being sent by a live worker is left alone.
   */
  async lockForSending(id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE email_messages SET status = 'sending', locked_at = now(), attempts = attempts + 1
       WHERE id = $1 AND ${SENDABLE}`,
      [id, STALE_LOCK_SECONDS],
    );
    return affected === 1;
  }

  async markSent(id: string, providerMessageId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE email_messages SET status = 'sent', sent_at = now(), provider_message_id = $2, last_error = NULL WHERE id = $1`,
      [id, providerMessageId],
    );
  }

  /** Gives up on a message that was not sent (a sent one is never marked failed). */
  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query(`UPDATE email_messages SET status = 'failed', last_error = $2 WHERE id = $1 AND status <> 'sent'`, [
      id,
      error.slice(0, 1000),
    ]);
  }

  /** Gives the lock back so a retry can send. */
  async release(id: string, error: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE email_messages SET status = 'pending', locked_at = NULL, last_error = $2 WHERE id = $1 AND status = 'sending'`,
      [id, error.slice(0, 1000)],
    );
  }

  /** Pending messages nobody has touched for a while (their job was lost): for re-driving. */
  async findStalePending(olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM email_messages
       WHERE (status = 'pending' AND created_at < now() - make_interval(secs => $1))
          OR (status = 'sending' AND locked_at < now() - make_interval(secs => $2))
       ORDER BY coalesce(locked_at, created_at) LIMIT $3`,
      [olderThanSeconds, STALE_LOCK_SECONDS, limit],
    );
    return rows.map((r) => r.id);
  }
}
