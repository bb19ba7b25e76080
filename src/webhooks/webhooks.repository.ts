import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CURSOR_MICROS_SQL, CURSOR_TIMESTAMP_SQL, KeysetPosition } from '../common/pagination';
import type { PublishedChange } from '../changes/changes.repository';
import { DeliveryAttempt, DeliveryStatus } from './webhook-delivery.entity';

export interface WebhookRow {
  id: string;
  url: string;
  events: string[];
  includePersonalData: boolean;
  createdAt: Date;
  disabledAt: Date | null;
}

export interface WebhookWithSecret extends WebhookRow {
  secretEncrypted: string;
}

export interface DeliveryRow {
  id: string;
  webhookId: string;
  type: string;
  status: DeliveryStatus;
  attempts: DeliveryAttempt[];
  attemptCount: number;
  personId: string | null;
  data: Record<string, string>;
  occurredAt: Date;
  createdAt: Date;
  nextAttemptAt: Date;
}

/** A delivery due for an attempt: the job to enqueue for it. */
export interface DueDelivery {
  deliveryId: string;
  attempt: number;
  nextAttemptAt: Date;
}

const WEBHOOK_COLUMNS = `w.id, w.url, w.events, w.include_personal_data AS "includePersonalData", w.created_at AS "createdAt",
  w.disabled_at AS "disabledAt"`;
const DELIVERY_COLUMNS = `d.id, d.webhook_id AS "webhookId", d.type, d.status, d.attempts, d.attempt_count AS "attemptCount",
  d.person_id AS "personId", d.data, d.occurred_at AS "occurredAt", d.created_at AS "createdAt", d.next_attempt_at AS "nextAttemptAt"`;

/** Held while an attempt is on the wire: longer than resolving, connecting and the 10 s answer together. */
export const LEASE_SECONDS = 20;

/** Webhooks and their deliveries: the only code of the feature that touches SQL. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(webhook: {
    url: string;
    events: string[];
    includePersonalData: boolean;
    secretEncrypted: string;
    createdBy: string | null;
  }): Promise<WebhookRow> {
    const rows: WebhookRow[] = await this.dataSource.query(
      `INSERT INTO webhooks (url, events, include_personal_data, secret_encrypted, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, url, events, include_personal_data AS "includePersonalData", created_at AS "createdAt", disabled_at AS "disabledAt"`,
      [webhook.url, webhook.events, webhook.includePersonalData, webhook.secretEncrypted, webhook.createdBy],
    );
    return rows[0];
  }

  page(limit: number, after?: KeysetPosition): Promise<Array<WebhookRow & { cursorMicros: string }>> {
    const params: unknown[] = [limit];
    let where = '';
    if (after) {
      params.push(after.createdAtMicros, after.id);
      where = `WHERE (w.created_at, w.id) < (${CURSOR_TIMESTAMP_SQL('$2')}, $3)`;
    }
    return this.dataSource.query(
      `SELECT ${WEBHOOK_COLUMNS}, ${CURSOR_MICROS_SQL('w.created_at')} AS "cursorMicros" FROM webhooks w ${where}
       ORDER BY w.created_at DESC, w.id DESC LIMIT $1`,
      params,
    );
  }

  async find(id: string): Promise<WebhookRow | null> {
    const rows: WebhookRow[] = await this.dataSource.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks w WHERE w.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async findWithSecret(id: string): Promise<WebhookWithSecret | null> {
    const rows: WebhookWithSecret[] = await this.dataSource.query(
      `SELECT ${WEBHOOK_COLUMNS}, w.secret_encrypted AS "secretEncrypted" FROM webhooks w WHERE w.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  async delete(id: string): Promise<boolean> {
    const [, count]: [unknown, number] = await this.dataSource.query(`DELETE FROM webhooks WHERE id = $1`, [id]);
    return count === 1;
  }

  /** Inside the change feed relay's transaction: one delivery per change per enabled webhook that takes its type. */
  async fanOut(tx: EntityManager, changes: PublishedChange[]): Promise<DueDelivery[]> {
    if (changes.length === 0) return [];
    return tx.query(
      `INSERT INTO webhook_deliveries (webhook_id, change_id, change_seq, type, person_id, data, occurred_at)
       SELECT w.id, c.id, c.seq, c.type, c.person_id, c.data, c.created_at
       FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::uuid[], $5::jsonb[], $6::timestamptz[]) AS c(id, seq, type, person_id, data, created_at)
       JOIN webhooks w ON w.disabled_at IS NULL AND c.type = ANY(w.events)
       ORDER BY c.seq
       ON CONFLICT (webhook_id, change_id) DO NOTHING
       RETURNING id AS "deliveryId", attempt_count AS attempt, next_attempt_at AS "nextAttemptAt"`,
      [
        changes.map((c) => c.id),
        changes.map((c) => c.seq),
        changes.map((c) => c.type),
        changes.map((c) => c.personId),
        changes.map((c) => JSON.stringify(c.data)),
        changes.map((c) => c.createdAt),
      ],
    );
  }

  /** A `webhook.test` delivery, owed like any other. */
  async addTestDelivery(webhookId: string): Promise<DueDelivery> {
    const rows: DueDelivery[] = await this.dataSource.query(
      `INSERT INTO webhook_deliveries (webhook_id, type, data, occurred_at) VALUES ($1, 'webhook.test', $2, now())
       RETURNING id AS "deliveryId", attempt_count AS attempt, next_attempt_at AS "nextAttemptAt"`,
      [webhookId, JSON.stringify({ webhookId })],
    );
    return rows[0];
  }

  deliveries(webhookId: string, limit: number, after?: KeysetPosition): Promise<Array<DeliveryRow & { cursorMicros: string }>> {
    const params: unknown[] = [webhookId, limit];
    let where = '';
    if (after) {
      params.push(after.createdAtMicros, after.id);
      where = `AND (d.created_at, d.id) < (${CURSOR_TIMESTAMP_SQL('$3')}, $4)`;
    }
    return this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS}, ${CURSOR_MICROS_SQL('d.created_at')} AS "cursorMicros" FROM webhook_deliveries d
       WHERE d.webhook_id = $1 ${where} ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
      params,
    );
  }

  async findDelivery(id: string): Promise<DeliveryRow | null> {
    const rows: DeliveryRow[] = await this.dataSource.query(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE d.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Whether an earlier change about the same person is still owed to the same webhook (commit order per person). */
  async hasEarlierPending(delivery: { id: string; webhookId: string; personId: string | null }): Promise<boolean> {
    if (!delivery.personId) return false;
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM webhook_deliveries e, webhook_deliveries d
       WHERE d.id = $1 AND e.webhook_id = $2 AND e.person_id = $3 AND e.status = 'pending' AND e.change_seq < d.change_seq LIMIT 1`,
      [delivery.id, delivery.webhookId, delivery.personId],
    );
    return rows.length > 0;
  }

  /**
   * The lock of one attempt: the delivery is pending, this is the attempt the job names, it is
   * due, and nobody holds it. The winner holds a lease; a killed worker's lease runs out.
   */
  async lease(id: string, attempt: number): Promise<boolean> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `UPDATE webhook_deliveries SET lease_until = now() + make_interval(secs => $3)
       WHERE id = $1 AND status = 'pending' AND attempt_count = $2 AND next_attempt_at <= now() + interval '1 second'
         AND (lease_until IS NULL OR lease_until < now())
       `,
      [id, attempt, LEASE_SECONDS],
    );
    return count > 0;
  }

  /**
   * Writes an attempt's outcome: delivered, failed for good, or pending again with its next
   * attempt's time. Conditional on the attempt still being this one's.
   */
  async recordAttempt(
    id: string,
    attempt: number,
    entry: DeliveryAttempt,
    outcome: { status: 'delivered' | 'failed' } | { status: 'pending'; retryInMs: number },
  ): Promise<boolean> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `UPDATE webhook_deliveries SET
         attempts = attempts || jsonb_build_array($3::jsonb), attempt_count = attempt_count + 1, lease_until = NULL, status = $4::text,
         next_attempt_at = CASE WHEN $4::text = 'pending' THEN now() + make_interval(secs => $5) ELSE next_attempt_at END,
         finished_at = CASE WHEN $4::text = 'pending' THEN NULL ELSE now() END
       WHERE id = $1 AND status = 'pending' AND attempt_count = $2`,
      [id, attempt, JSON.stringify(entry), outcome.status, outcome.status === 'pending' ? outcome.retryInMs / 1000 : 0],
    );
    return count > 0;
  }

  /** The next delivery owed to the same webhook about the same person, once an earlier one finished. */
  async nextForPerson(webhookId: string, personId: string): Promise<DueDelivery | null> {
    const rows: DueDelivery[] = await this.dataSource.query(
      `SELECT id AS "deliveryId", attempt_count AS attempt, next_attempt_at AS "nextAttemptAt" FROM webhook_deliveries
       WHERE webhook_id = $1 AND person_id = $2 AND status = 'pending' ORDER BY change_seq LIMIT 1`,
      [webhookId, personId],
    );
    return rows[0] ?? null;
  }

  /**
   * Pending deliveries whose attempt is due (by `graceSeconds`: fresh ones are the fast
   * path's), not leased, and not held behind an earlier one about the same person.
   */
  findDue(graceSeconds: number, limit: number): Promise<DueDelivery[]> {
    return this.dataSource.query(
      `SELECT d.id AS "deliveryId", d.attempt_count AS attempt, d.next_attempt_at AS "nextAttemptAt" FROM webhook_deliveries d
       WHERE d.status = 'pending' AND d.next_attempt_at <= now() - make_interval(secs => $1)
         AND (d.lease_until IS NULL OR d.lease_until < now())
         AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.webhook_id = d.webhook_id AND e.person_id = d.person_id
                         AND e.status = 'pending' AND e.change_seq < d.change_seq)
       ORDER BY d.next_attempt_at LIMIT $2`,
      [graceSeconds, limit],
    );
  }

  /** Disables a webhook (once: false when it already was), failing what it was still owed. */
  async disable(tx: EntityManager, id: string): Promise<boolean> {
    const [, count]: [unknown, number] = await tx.query(`UPDATE webhooks SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL`, [
      id,
    ]);
    if (count === 0) return false;
    await tx.query(
      `UPDATE webhook_deliveries SET status = 'failed', finished_at = now(), lease_until = NULL WHERE webhook_id = $1 AND status = 'pending'`,
      [id],
    );
    return true;
  }

  /** A disabled (or gone) webhook's delivery: failed without an attempt. */
  async failUnattempted(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'failed', finished_at = now() WHERE id = $1 AND status = 'pending'`,
      [id],
    );
  }

  /** The admins to tell (not revoked). */
  activeAdmins(tx: EntityManager): Promise<Array<{ id: string }>> {
    return tx.query(`SELECT id FROM organizers WHERE role = 'admin' AND revoked_at IS NULL ORDER BY id`);
  }

  async organizerEmail(id: string): Promise<string | null> {
    const rows: Array<{ email: string }> = await this.dataSource.query(
      `SELECT email FROM organizers WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    );
    return rows[0]?.email ?? null;
  }

  /** What a payload with personal data says of the person, read when it is sent (null once erased). */
  async personalData(personId: string): Promise<Record<string, string | null> | null> {
    const rows: Array<Record<string, string | null>> = await this.dataSource.query(
      `SELECT email, given_name AS "givenName", family_name AS "familyName", country, postal_code AS "postalCode", language
       FROM people WHERE id = $1`,
      [personId],
    );
    return rows[0] ?? null;
  }

  /** Finished deliveries older than the change feed keeps. */
  async purgeFinished(olderThanDays: number): Promise<number> {
    const [, count]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < now() - make_interval(days => $1)`,
      [olderThanDays],
    );
    return count;
  }
}
