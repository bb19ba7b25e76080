import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In } from 'typeorm';
import { CURSOR_MICROS_SQL, CURSOR_TIMESTAMP_SQL, KeysetPosition } from '../common/pagination';
import { Mailing, MailingStatus, MailingVariant } from './mailing.entity';

export interface NewMailing {
  name: string;
  listIds: string[];
  countries: string[];
  languages: string[];
  petitionIds: string[];
  eventIds: string[];
  content: Record<string, MailingVariant>;
  defaultLanguage: string;
  sendAt: Date | null;
}

export interface MailingStats {
  recipients: number;
  sent: number;
  failed: number;
  bounced: number;
  unsubscribed: number;
  skipped: number;
  complaints: number;
  pending: number;
  uncertain: number;
}

/** Mailings: the newsletters themselves, their status lock and their stats. */
@Injectable()
export class MailingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(m: NewMailing): Promise<Mailing> {
    const repo = this.dataSource.getRepository(Mailing);
    return repo.save(repo.create({ ...m, status: 'draft' }));
  }

  findById(id: string, tx?: EntityManager): Promise<Mailing | null> {
    return (tx ?? this.dataSource.manager).getRepository(Mailing).findOne({ where: { id } });
  }

  /** Locks the mailing row for the rest of the transaction (planner pages, status changes). */
  lock(tx: EntityManager, id: string): Promise<Mailing | null> {
    return tx.getRepository(Mailing).createQueryBuilder('m').setLock('pessimistic_write').where('m.id = :id', { id }).getOne();
  }

  /**
   * The planner's lock on one mailing, held to the end of the transaction: two planners of
   * the same mailing (its job and the scheduler's re-drive) take turns, while the mailing row
   * itself stays free, so a cancel never waits for a planning step.
   */
  async lockPlanning(tx: EntityManager, id: string): Promise<Mailing | null> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('mailing-planner:' || $1::text, 0))`, [id]);
    return this.findById(id, tx);
  }

  async page(limit: number, after?: KeysetPosition): Promise<Array<Mailing & { cursorMicros: string }>> {
    const rows: Array<{ id: string; cursorMicros: string }> = await this.dataSource.query(
      `SELECT id, ${CURSOR_MICROS_SQL('created_at')} AS "cursorMicros" FROM mailings
       ${after ? `WHERE (created_at, id) < (${CURSOR_TIMESTAMP_SQL('$2')}, $3)` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $1`,
      after ? [limit, after.createdAtMicros, after.id] : [limit],
    );
    const found = await this.dataSource.getRepository(Mailing).findBy({ id: In(rows.map((r) => r.id)) });
    const byId = new Map(found.map((m) => [m.id, m]));
    return rows.flatMap((r) => {
      const m = byId.get(r.id);
      return m ? [Object.assign(m, { cursorMicros: r.cursorMicros })] : [];
    });
  }

  /** Moves a mailing from one of `from` to `to`; false when it was in none of them (someone else moved it). */
  async transition(
    tx: EntityManager | null,
    id: string,
    from: MailingStatus[],
    to: MailingStatus,
    extra: 'started' | 'finished' | 'cancelled' | null = null,
  ): Promise<boolean> {
    const stamp = extra ? `, ${extra}_at = now()` : '';
    const [, affected]: [unknown, number] = await (tx ?? this.dataSource.manager).query(
      `UPDATE mailings SET status = $3, updated_at = now()${stamp} WHERE id = $1 AND status = ANY($2)`,
      [id, from, to],
    );
    return affected === 1;
  }

  /** Planning progress: people planned through `plannedThrough` (kept when null), `batches` more batches. */
  async recordPlannedRange(tx: EntityManager, id: string, plannedThrough: string | null, batches: number): Promise<void> {
    await tx.query(
      `UPDATE mailings SET planned_through = coalesce($2, planned_through), planned_batches = planned_batches + $3, updated_at = now()
       WHERE id = $1`,
      [id, plannedThrough, batches],
    );
  }

  async markPlanned(tx: EntityManager, id: string): Promise<void> {
    await tx.query(`UPDATE mailings SET planned_at = now(), updated_at = now() WHERE id = $1 AND planned_at IS NULL`, [id]);
  }

  /** A sending mailing whose every delivery is settled becomes sent (once). */
  async finishIfDone(tx: EntityManager, id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await tx.query(
      `UPDATE mailings SET status = 'sent', finished_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'sending' AND planned_at IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM mailing_deliveries d WHERE d.mailing_id = $1 AND d.status IN ('pending', 'sending'))`,
      [id],
    );
    return affected === 1;
  }

  /** Scheduled mailings whose time has come. */
  async findDue(now: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM mailings WHERE status = 'scheduled' AND send_at <= $1 ORDER BY send_at LIMIT $2`,
      [now, limit],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Sending mailings with no sign of life for `olderThanSeconds` (no page planned, no
   * delivery locked): their jobs may have been lost with a Redis that was wiped.
   */
  async findStalled(olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT m.id FROM mailings m
       WHERE m.status = 'sending' AND m.updated_at < now() - make_interval(secs => $1)
         AND NOT EXISTS (SELECT 1 FROM mailing_deliveries d
                         WHERE d.mailing_id = m.id AND d.status IN ('pending', 'sending')
                           AND d.locked_at > now() - make_interval(secs => $1))
       ORDER BY m.updated_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Every mailing being sent (the scheduler re-drives them all once Redis is back). */
  async findSending(limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM mailings WHERE status = 'sending' ORDER BY updated_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.id);
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE mailings SET updated_at = now() WHERE id = $1`, [id]);
  }

  async listIdsBySlugs(slugs: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; slug: string }> = await this.dataSource.query(`SELECT id, slug FROM lists WHERE slug = ANY($1)`, [
      slugs,
    ]);
    return new Map(rows.map((r) => [r.slug, r.id]));
  }

  /** Which of these petition ids exist (a mailing's audience may name only real ones). */
  async existingPetitionIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM petitions WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  /** Which of these event ids exist. */
  async existingEventIds(ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM events WHERE id = ANY($1::uuid[])`, [ids]);
    return new Set(rows.map((r) => r.id));
  }

  async listsById(listIds: string[]): Promise<Array<{ id: string; slug: string; name: string }>> {
    return this.dataSource.query(`SELECT id, slug, name FROM lists WHERE id = ANY($1)`, [listIds]);
  }

  /** Slugs of lists by id, in the given order. */
  async listSlugs(listIds: string[]): Promise<string[]> {
    const rows: Array<{ id: string; slug: string }> = await this.dataSource.query(`SELECT id, slug FROM lists WHERE id = ANY($1)`, [
      listIds,
    ]);
    const byId = new Map(rows.map((r) => [r.id, r.slug]));
    return listIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /**
   * Counts from the deliveries table. `recipients`: the people it is going to, so never one it
   * will not send to (a delivery skipped because the address is suppressed or the person left
   * the audience is counted in `skipped` only): once finished, `recipients = sent + failed`.
   * `unsubscribed`: recipients who left one of the mailing's lists after it was sent to them.
   */
  async stats(id: string): Promise<MailingStats> {
    const rows: MailingStats[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE d.status <> 'skipped')::int AS recipients,
              count(*) FILTER (WHERE d.status = 'sent')::int AS sent,
              count(*) FILTER (WHERE d.status = 'failed')::int AS failed,
              count(d.bounced_at)::int AS bounced,
              count(*) FILTER (WHERE d.status = 'sent' AND EXISTS (
                SELECT 1 FROM subscriptions s
                WHERE s.person_id = d.person_id AND s.list_id = ANY(m.list_ids)
                  AND s.status = 'unsubscribed' AND s.unsubscribed_at >= d.sent_at))::int AS unsubscribed,
              count(*) FILTER (WHERE d.status = 'skipped')::int AS skipped,
              count(d.complained_at)::int AS complaints,
              count(*) FILTER (WHERE d.status IN ('pending', 'sending'))::int AS pending,
              count(*) FILTER (WHERE d.uncertain)::int AS uncertain
       FROM mailings m LEFT JOIN mailing_deliveries d ON d.mailing_id = m.id
       WHERE m.id = $1`,
      [id],
    );
    return rows[0];
  }
}
