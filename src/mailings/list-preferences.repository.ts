import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The subscriptions a newsletter's footer links may change: one person's, nobody else's. */
@Injectable()
export class ListPreferencesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async person(personId: string): Promise<{ id: string; language: string | null } | null> {
    const rows: Array<{ id: string; language: string | null }> = await this.dataSource.query(
      `SELECT id, language FROM people WHERE id = $1`,
      [personId],
    );
    return rows[0] ?? null;
  }

  async listName(listId: string): Promise<string | null> {
    const rows: Array<{ name: string }> = await this.dataSource.query(`SELECT name FROM lists WHERE id = $1`, [listId]);
    return rows[0]?.name ?? null;
  }

  /**
   * Locks the person, first, as every path that changes a person's subscriptions does (the
   * subscriptions' trigger then bumps the person's modified_at without a second lock order).
   * False when the person is gone.
   */
  async lockPerson(tx: EntityManager, personId: string): Promise<boolean> {
    const rows: unknown[] = await tx.query(`SELECT id FROM people WHERE id = $1 FOR UPDATE`, [personId]);
    return rows.length > 0;
  }

  /** Unsubscribes at once; a second time changes nothing. Returns the list left, if the subscription changed. */
  async unsubscribe(tx: EntityManager, personId: string, listId: string): Promise<string[]> {
    const [rows]: [Array<{ listId: string }>, number] = await tx.query(
      `UPDATE subscriptions SET status = 'unsubscribed', unsubscribed_at = now(), updated_at = now()
       WHERE person_id = $1 AND list_id = $2 AND status <> 'unsubscribed' RETURNING list_id AS "listId"`,
      [personId, listId],
    );
    return rows.map((r) => r.listId);
  }

  /** The lists the person confirmed at some point (subscribed or since unsubscribed). */
  subscriptionsOf(personId: string): Promise<Array<{ id: string; name: string; subscribed: boolean }>> {
    return this.dataSource.query(
      `SELECT l.id, l.name, s.status = 'subscribed' AS subscribed
       FROM subscriptions s JOIN lists l ON l.id = s.list_id
       WHERE s.person_id = $1 AND s.status IN ('subscribed', 'unsubscribed')
       ORDER BY l.name, l.id`,
      [personId],
    );
  }

  /**
   * Those of the person's confirmed lists named in `subscribed` stay or become subscribed; the
   * others unsubscribed. Returns the lists left.
   */
  async setSubscriptions(tx: EntityManager, personId: string, subscribed: string[]): Promise<string[]> {
    const [rows]: [Array<{ listId: string; status: string }>, number] = await tx.query(
      `UPDATE subscriptions SET
         status = CASE WHEN list_id = ANY($2::uuid[]) THEN 'subscribed' ELSE 'unsubscribed' END,
         subscribed_at = CASE WHEN list_id = ANY($2::uuid[]) AND status <> 'subscribed' THEN now() ELSE subscribed_at END,
         unsubscribed_at = CASE WHEN list_id = ANY($2::uuid[]) THEN NULL WHEN status = 'subscribed' THEN now() ELSE unsubscribed_at END,
         updated_at = now()
       WHERE person_id = $1 AND status IN ('subscribed', 'unsubscribed')
         AND status <> CASE WHEN list_id = ANY($2::uuid[]) THEN 'subscribed' ELSE 'unsubscribed' END
       RETURNING list_id AS "listId", status`,
      [personId, subscribed],
    );
    return rows.filter((r) => r.status === 'unsubscribed').map((r) => r.listId);
  }
}
