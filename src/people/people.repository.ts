import { canonicalLanguageTag } from '../common/languages';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { normalizeEmail } from '../common/crypto.util';
import { KeysetPosition, keysetClauses, SyncWindow } from '../common/pagination';
import type { CsvColumn, CsvQuery } from '../exports/csv-export.repository';
import { Person } from './person.entity';

export interface PeopleFilters {
  email?: string;
  country?: string;
  list?: string;
  language?: string;
  tag?: string;
  /** Start of the given or the family name, without regard to case (`am` finds Amal). */
  name?: string;
  /** true: people who proved their address at least once; false: those who never did. */
  confirmed?: boolean;
}

export interface PersonRow {
  id: string;
  email: string;
  givenName: string | null;
  familyName: string | null;
  country: string | null;
  postalCode: string | null;
  language: string | null;
  confirmedAt: Date | null;
  tags: string[];
  createdAt: Date;
  updatedAt: Date;
  /** The last change a sync client should see (details, confirmation, subscriptions, tags). */
  modifiedAt: Date;
}

/** An erased (or purged) person in an incremental sync: the id and nothing else. */
export interface Tombstone {
  id: string;
  erased: true;
}

const PERSON_COLUMNS = `p.id, p.email, p.given_name AS "givenName", p.family_name AS "familyName", p.country,
  p.postal_code AS "postalCode", p.language, p.confirmed_at AS "confirmedAt", p.created_at AS "createdAt", p.updated_at AS "updatedAt",
  p.modified_at AS "modifiedAt",
  coalesce((SELECT array_agg(t.tag ORDER BY t.tag) FROM person_tags t WHERE t.person_id = p.id), '{}') AS tags`;

/**
 * WHERE conditions for the organizers' filters, each served by an index: the unique
 * normalized address, people(country), people(language), subscriptions' (person, list)
 * unique index and person_tags' primary key. Values only ever travel as parameters.
 */
function filterConditions(filters: PeopleFilters & { listId?: string }, params: unknown[]): string[] {
  const conditions: string[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (filters.email) conditions.push(`p.email_normalized = ${param(normalizeEmail(filters.email))}`);
  if (filters.country) conditions.push(`p.country = ${param(filters.country)}`);
  if (filters.language) {
    // Stored tags are canonical (`fa-IR`); so is the filter, whatever case it was typed in.
    const n = param(canonicalLanguageTag(filters.language));
    // `ar` also finds `ar-EG`: organizers think in languages, supporters' browsers send regions.
    conditions.push(`(p.language = ${n} OR p.language LIKE ${n} || '-%')`);
  }
  if (filters.listId) {
    // The list resolved beforehand: the planner then sees the list's own row estimate and
    // starts from its subscribers when they are few (a small list at a million people).
    conditions.push(
      `EXISTS (SELECT 1 FROM subscriptions s WHERE s.person_id = p.id AND s.status = 'subscribed' AND s.list_id = ${param(filters.listId)})`,
    );
  } else if (filters.list) {
    conditions.push(
      `EXISTS (SELECT 1 FROM subscriptions s JOIN lists l ON l.id = s.list_id
               WHERE s.person_id = p.id AND s.status = 'subscribed' AND l.slug = ${param(filters.list)})`,
    );
  }
  if (filters.tag) conditions.push(`EXISTS (SELECT 1 FROM person_tags t WHERE t.person_id = p.id AND t.tag = ${param(filters.tag)})`);
  if (filters.name) {
    // A prefix match on lower(...) served by the text_pattern_ops indexes; LIKE's own
    // wildcards in what was typed are matched literally.
    const n = param(`${filters.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    conditions.push(`(lower(p.given_name) LIKE lower(${n}) OR lower(p.family_name) LIKE lower(${n}))`);
  }
  if (filters.confirmed !== undefined) conditions.push(filters.confirmed ? 'p.confirmed_at IS NOT NULL' : 'p.confirmed_at IS NULL');
  return conditions;
}

// Tokens: the address, country, postal code and language are validated to narrow character
// sets without line breaks wherever they enter (API, pages, imports, OSDI).
/** Columns of `people.csv`. */
const PEOPLE_CSV_COLUMNS: CsvColumn[] = [
  { header: 'id', sql: 'p.id', type: 'uuid' },
  { header: 'email', sql: 'p.email', type: 'token' },
  { header: 'givenName', sql: 'p.given_name' },
  { header: 'familyName', sql: 'p.family_name' },
  { header: 'country', sql: 'p.country', type: 'token' },
  { header: 'postalCode', sql: 'p.postal_code', type: 'token' },
  { header: 'language', sql: 'p.language', type: 'token' },
  { header: 'confirmedAt', sql: 'p.confirmed_at', type: 'timestamp' },
  { header: 'createdAt', sql: 'p.created_at', type: 'timestamp' },
];

/**
 * Optional columns (`?include=lists,tags`): space-separated slugs, like the import's
 * `lists` column. Opt-in because a per-row subquery makes a full export 3 to 4 times slower.
 */
export const PEOPLE_CSV_OPTIONAL_COLUMNS = {
  lists: {
    header: 'lists',
    sql: `(SELECT string_agg(l.slug, ' ' ORDER BY l.slug) FROM subscriptions s JOIN lists l ON l.id = s.list_id
           WHERE s.person_id = p.id AND s.status = 'subscribed')`,
  },
  tags: { header: 'tags', sql: `(SELECT string_agg(t.tag, ' ' ORDER BY t.tag) FROM person_tags t WHERE t.person_id = p.id)` },
} satisfies Record<string, CsvColumn>;
export type PeopleCsvOptionalColumn = keyof typeof PEOPLE_CSV_OPTIONAL_COLUMNS;

/** The organizers' view of people: lists, details, tags, the people export and erasure's own steps. */
@Injectable()
export class PeopleRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Keyset page, newest first; in a sync window, the people changed since, oldest change
   * first (served by IDX_people_modified).
   */
  async page(
    filters: PeopleFilters,
    limit: number,
    after?: KeysetPosition,
    sync?: SyncWindow,
  ): Promise<Array<PersonRow & { cursorMicros: string }>> {
    // The list's id first: a join on the slug made a small list's page scan (487 ms -> 11 ms at 1M people).
    let listId: string | undefined;
    if (filters.list) {
      const lists: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM lists WHERE slug = $1`, [filters.list]);
      if (lists.length === 0) return [];
      listId = lists[0].id;
    }
    const params: unknown[] = [limit];
    const conditions = filterConditions({ ...filters, listId }, params);
    const keyset = keysetClauses('p', params, { after, sync, newestFirst: true });
    conditions.push(...keyset.conditions);
    return this.dataSource.query(
      `SELECT ${PERSON_COLUMNS}, ${keyset.cursorSql} AS "cursorMicros"
       FROM people p ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY ${keyset.orderBy} LIMIT $1`,
      params,
    );
  }

  /**
   * Tombstones in a sync window, in the same (time, id) order as `page`, for the caller to
   * merge with it. A tombstone matches no filter and every filter: a client syncing one list
   * must still delete an erased member it holds.
   */
  tombstones(sync: SyncWindow, limit: number, after?: KeysetPosition): Promise<Array<{ id: string; cursorMicros: string }>> {
    const params: unknown[] = [limit];
    const keyset = keysetClauses('t', params, { after, sync, newestFirst: false, syncColumn: 'erased_at' });
    return this.dataSource.query(
      `SELECT t.id, ${keyset.cursorSql} AS "cursorMicros" FROM erased_people t
       WHERE ${keyset.conditions.join(' AND ')} ORDER BY ${keyset.orderBy} LIMIT $1`,
      params,
    );
  }

  async findById(id: string): Promise<PersonRow | null> {
    const rows: PersonRow[] = await this.dataSource.query(`SELECT ${PERSON_COLUMNS} FROM people p WHERE p.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** The people export's query (same filters as the list). */
  exportQuery(filters: PeopleFilters, include: PeopleCsvOptionalColumn[] = []): CsvQuery {
    const params: unknown[] = [];
    const conditions = filterConditions(filters, params);
    return {
      // `protected` last, after the optional columns: a protected person (docs/safety.md).
      columns: [...PEOPLE_CSV_COLUMNS, ...include.map((c) => PEOPLE_CSV_OPTIONAL_COLUMNS[c]), { header: 'protected', sql: 'p.protected' }],
      from: `FROM people p ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}`,
      params,
    };
  }

  /** False when the person does not exist. Adding a tag twice is harmless. */
  async addTag(personId: string, tag: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO person_tags (person_id, tag) SELECT id, $2 FROM people WHERE id = $1
       ON CONFLICT (person_id, tag) DO UPDATE SET tag = EXCLUDED.tag RETURNING person_id`,
      [personId, tag],
    );
    return rows.length === 1;
  }

  /** False when the person does not exist. Removing a tag the person lacks is harmless. */
  async removeTag(personId: string, tag: string): Promise<boolean> {
    await this.dataSource.query(`DELETE FROM person_tags WHERE person_id = $1 AND tag = $2`, [personId, tag]);
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM people WHERE id = $1`, [personId]);
    return rows.length === 1;
  }

  subscriptionsOf(personId: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT l.slug AS list, l.name AS "listName", s.status, s.subscribed_at AS "subscribedAt",
              s.unsubscribed_at AS "unsubscribedAt", s.created_at AS "createdAt"
       FROM subscriptions s JOIN lists l ON l.id = s.list_id WHERE s.person_id = $1 ORDER BY l.slug`,
      [personId],
    );
  }

  consentRecordsOf(personId: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT id, action, form, text_version AS "textVersion", list_slugs AS lists, request_id AS "requestId",
              vouched_by AS "vouchedBy", given_at AS "givenAt", confirmed_at AS "confirmedAt"
       FROM consent_records WHERE person_id = $1 ORDER BY given_at, id`,
      [personId],
    );
  }

  /** Which emails were sent to the person (kind, language, status, when), not their content. */
  emailsOf(personId: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT id, kind, language, status, created_at AS "createdAt", sent_at AS "sentAt"
       FROM email_messages WHERE person_id = $1 ORDER BY created_at, id`,
      [personId],
    );
  }

  lockPerson(tx: EntityManager, id: string): Promise<Person | null> {
    return tx.getRepository(Person).createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id }).getOne();
  }

  /** Erasure: transactional emails' rows (ids and statuses only, but they tie the person to a send). */
  async deleteEmailMessages(tx: EntityManager, personId: string): Promise<void> {
    await tx.query(`DELETE FROM email_messages WHERE person_id = $1`, [personId]);
  }

  async deleteTokens(tx: EntityManager, personId: string): Promise<void> {
    await tx.query(`DELETE FROM action_tokens WHERE person_id = $1`, [personId]);
  }

  /** The row itself; subscriptions, consent records and tags go with it (ON DELETE CASCADE). */
  async deletePerson(tx: EntityManager, personId: string): Promise<void> {
    await tx.query(`DELETE FROM people WHERE id = $1`, [personId]);
  }
}
