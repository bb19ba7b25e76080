import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CURSOR_MICROS_SQL, CURSOR_TIMESTAMP_SQL, KeysetPosition } from '../common/pagination';
import { MailingList } from '../people/mailing-list.entity';

type ListRow = Pick<MailingList, 'id' | 'slug' | 'name' | 'isDefault' | 'createdAt'> & { cursorMicros: string };

const COLUMNS = `id, slug, name, is_default AS "isDefault", created_at AS "createdAt", ${CURSOR_MICROS_SQL('created_at')} AS "cursorMicros"`;

@Injectable()
export class ListsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts a list; null when the slug is taken. */
  async create(tx: EntityManager, list: { slug: string; name: string; isDefault: boolean }): Promise<ListRow | null> {
    if (list.isDefault) await tx.query(`UPDATE lists SET is_default = false WHERE is_default`);
    const rows: ListRow[] = await tx.query(
      `INSERT INTO lists (slug, name, is_default) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING RETURNING ${COLUMNS}`,
      [list.slug, list.name, list.isDefault],
    );
    return rows[0] ?? null;
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
