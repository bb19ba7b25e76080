import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CURSOR_MICROS_SQL, CURSOR_TIMESTAMP_SQL, KeysetPosition } from '../common/pagination';
import { MailingList } from '../people/mailing-list.entity';

export type ListRow = Pick<MailingList, 'id' | 'slug' | 'name' | 'isDefault' | 'isPublic' | 'createdAt'> & { cursorMicros: string };

const COLUMNS = `id, slug, name, is_default AS "isDefault", is_public AS "isPublic", created_at AS "createdAt", ${CURSOR_MICROS_SQL('created_at')} AS "cursorMicros"`;

@Injectable()
export class ListsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a list; null when the slug is taken. A new default replaces the old one (which stays public). */
  async create(tx: EntityManager, list: { slug: string; name: string; isDefault: boolean; isPublic: boolean }): Promise<ListRow | null> {
    if (list.isDefault) await tx.query(`UPDATE lists SET is_default = false WHERE is_default`);
    const rows: ListRow[] = await tx.query(
      `INSERT INTO lists (slug, name, is_default, is_public) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING RETURNING ${COLUMNS}`,
      [list.slug, list.name, list.isDefault, list.isPublic],
    );
    return rows[0] ?? null;
  }

  /** Locks a list for a change; null when there is none. */
  async lock(tx: EntityManager, id: string): Promise<ListRow | null> {
    const rows: ListRow[] = await tx.query(`SELECT ${COLUMNS} FROM lists WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0] ?? null;
  }

  /** Writes a locked list's new values; making it the default first takes that from the old one. */
  async update(tx: EntityManager, list: { id: string; name: string; isDefault: boolean; isPublic: boolean }): Promise<ListRow> {
    if (list.isDefault) await tx.query(`UPDATE lists SET is_default = false WHERE is_default AND id <> $1`, [list.id]);
    // An UPDATE answers [rows, affected count].
    const [rows]: [ListRow[], number] = await tx.query(
      `UPDATE lists SET name = $2, is_default = $3, is_public = $4 WHERE id = $1 RETURNING ${COLUMNS}`,
      [list.id, list.name, list.isDefault, list.isPublic],
    );
    return rows[0];
  }

  page(limit: number, after?: KeysetPosition): Promise<ListRow[]> {
    return this.dataSource.query(
      `SELECT ${COLUMNS} FROM lists
       ${after ? `WHERE (created_at, id) > (${CURSOR_TIMESTAMP_SQL('$2')}, $3)` : ''}
       ORDER BY created_at, id LIMIT $1`,
      after ? [limit, after.createdAtMicros, after.id] : [limit],
    );
  }
}
