import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { FilterColumns, FilterNode, toSql } from './odata-filter';

/**
 * When a record last changed: what `modified_date` shows and filters on. The database keeps
 * `modified_at` (triggers of the incremental-sync migration bump it on every change that
 * matters: details, confirmation, unsubscribe, tags, a seat).
 */
const MODIFIED = {
  person: 'p.modified_at',
  signature: 's.modified_at',
  rsvp: 'r.modified_at',
};

/**
 * Ids for tags and taggings, which live as names on `person_tags`: the md5 of a prefixed
 * name read as a (version 4 shaped) UUID, so PostgreSQL can match an id without a table of ids.
 */
const asUuid = (hex: string): string => `overlay(overlay(${hex} placing '4' from 13) placing '8' from 17)::uuid`;
const TAG_ID = (name: string): string => asUuid(`md5('osdi-tag:' || ${name})`);
const TAGGING_ID = (tag: string, personId: string): string => asUuid(`md5('osdi-tagging:' || ${tag} || ':' || ${personId}::text)`);

export interface PageRequest {
  limit: number;
  offset: number;
  filter?: FilterNode;
}
export interface PageOf<T> {
  rows: T[];
  total: number;
}

export interface OsdiPersonRow {
  id: string;
  email: string;
  givenName: string | null;
  familyName: string | null;
  country: string | null;
  postalCode: string | null;
  language: string | null;
  subscribed: boolean;
  createdAt: Date;
  modifiedAt: Date;
}
export interface OsdiTagRow {
  id: string;
  name: string;
  createdAt: Date;
}
export interface OsdiTaggingRow {
  id: string;
  personId: string;
  createdAt: Date;
}
export interface OsdiListRow {
  id: string;
  slug: string;
  name: string;
  totalItems: number;
  createdAt: Date;
}
export interface OsdiItemRow {
  id: string;
  personId: string;
  createdAt: Date;
  modifiedAt: Date;
}
export interface OsdiPetitionRow {
  id: string;
  slug: string;
  title: string;
  summary: string;
  body: string;
  target: string;
  status: string;
  totalSignatures: number;
  createdAt: Date;
  modifiedAt: Date;
}
export interface OsdiSignatureRow {
  id: string;
  petitionId: string;
  personId: string | null;
  status: string;
  comment: string | null;
  createdAt: Date;
  modifiedAt: Date;
}
export interface OsdiEventRow {
  id: string;
  slug: string;
  title: string;
  description: string;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  locationName: string | null;
  locationAddress: string | null;
  locationOnline: boolean;
  capacity: number | null;
  status: string;
  totalAccepted: number;
  createdAt: Date;
  modifiedAt: Date;
}
export interface OsdiAttendanceRow {
  id: string;
  eventId: string;
  personId: string | null;
  status: string;
  guests: number;
  attended: boolean | null;
  createdAt: Date;
  modifiedAt: Date;
}

export interface VouchedPerson {
  email: string;
  emailNormalized: string;
  givenName: string | null;
  familyName: string | null;
  country: string | null;
  postalCode: string | null;
  language: string | null;
}
export interface VouchedConsent {
  organizerId: string | null;
  action: string;
  requestId: string;
}

const PERSON_SELECT = `SELECT p.id, p.email, p.given_name AS "givenName", p.family_name AS "familyName", p.country,
  p.postal_code AS "postalCode", p.language, p.created_at AS "createdAt", ${MODIFIED.person} AS "modifiedAt",
  EXISTS (SELECT 1 FROM subscriptions sub WHERE sub.person_id = p.id AND sub.status = 'subscribed') AS subscribed
  FROM people p`;
const PERSON_FILTER: FilterColumns = { modified_date: MODIFIED.person, created_date: 'p.created_at', email_address: 'p.email_normalized' };

const PETITION_SELECT = `SELECT p.id, p.slug, p.title, p.summary, p.body, p.target, p.status, coalesce(c.confirmed_count, 0)::int AS "totalSignatures",
  p.created_at AS "createdAt", p.updated_at AS "modifiedAt"
  FROM petitions p LEFT JOIN petition_counts c ON c.petition_id = p.id`;

const SIGNATURE_SELECT = `SELECT s.id, s.petition_id AS "petitionId", s.person_id AS "personId", s.status, s.comment,
  s.created_at AS "createdAt", ${MODIFIED.signature} AS "modifiedAt"
  FROM signatures s LEFT JOIN people p ON p.id = s.person_id`;
const SIGNATURE_FILTER: FilterColumns = {
  modified_date: MODIFIED.signature,
  created_date: 's.created_at',
  email_address: 'p.email_normalized',
};

const EVENT_SELECT = `SELECT e.id, e.slug, e.title, e.description, e.starts_at AS "startsAt", e.ends_at AS "endsAt", e.timezone,
  e.location_name AS "locationName", e.location_address AS "locationAddress", e.location_online AS "locationOnline", e.capacity, e.status,
  (SELECT coalesce(sum(1 + r.guests), 0)::int FROM rsvps r WHERE r.event_id = e.id AND r.status = 'going') AS "totalAccepted",
  e.created_at AS "createdAt", e.updated_at AS "modifiedAt"
  FROM events e`;

const RSVP_SELECT = `SELECT r.id, r.event_id AS "eventId", r.person_id AS "personId", r.status, r.guests, r.attended,
  r.created_at AS "createdAt", ${MODIFIED.rsvp} AS "modifiedAt"
  FROM rsvps r LEFT JOIN people p ON p.id = r.person_id`;
const RSVP_FILTER: FilterColumns = { modified_date: MODIFIED.rsvp, created_date: 'r.created_at', email_address: 'p.email_normalized' };

const ALL_TAGS = `(SELECT name, min(created_at) AS created_at FROM (
    SELECT name, created_at FROM tags UNION ALL SELECT tag, created_at FROM person_tags
  ) named GROUP BY name)`;

/** Every read and write of the OSDI API: offset pages (OSDI pages by number), filters as parameters. */
@Injectable()
export class OsdiRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- reads ----------------------------------------------------------------------------

  private async page<T>(
    select: string,
    conditions: string[],
    params: unknown[],
    order: string,
    request: PageRequest,
    columns?: FilterColumns,
  ): Promise<PageOf<T>> {
    const where = [...conditions];
    const values = [...params];
    if (request.filter && columns) {
      const filter = toSql(request.filter, columns, values.length + 1);
      where.push(filter.sql);
      values.push(...filter.params);
    }
    const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const [count] = await this.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM (${select} ${clause}) counted`,
      values,
    );
    const rows = await this.dataSource.query<T[]>(
      `${select} ${clause} ORDER BY ${order} LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, request.limit, request.offset],
    );
    return { rows, total: count.n };
  }

  pagePeople(request: PageRequest): Promise<PageOf<OsdiPersonRow>> {
    return this.page(PERSON_SELECT, [], [], 'p.created_at, p.id', request, PERSON_FILTER);
  }

  async findPerson(id: string, tx?: EntityManager): Promise<OsdiPersonRow | null> {
    const rows: OsdiPersonRow[] = await (tx ?? this.dataSource).query(`${PERSON_SELECT} WHERE p.id = $1`, [id]);
    return rows[0] ?? null;
  }

  pageTags(request: PageRequest): Promise<PageOf<OsdiTagRow>> {
    return this.page(`SELECT ${TAG_ID('t.name')} AS id, t.name, t.created_at AS "createdAt" FROM ${ALL_TAGS} t`, [], [], 't.name', request);
  }

  async findTag(id: string): Promise<OsdiTagRow | null> {
    const rows: OsdiTagRow[] = await this.dataSource.query(
      `SELECT ${TAG_ID('t.name')} AS id, t.name, t.created_at AS "createdAt" FROM ${ALL_TAGS} t WHERE ${TAG_ID('t.name')} = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** A tag that exists (one just created). */
  async findTagByName(name: string): Promise<OsdiTagRow> {
    const rows: OsdiTagRow[] = await this.dataSource.query(
      `SELECT ${TAG_ID('t.name')} AS id, t.name, t.created_at AS "createdAt" FROM ${ALL_TAGS} t WHERE t.name = $1`,
      [name],
    );
    return rows[0];
  }

  async createTag(name: string): Promise<void> {
    await this.dataSource.query(`INSERT INTO tags (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [name]);
  }

  pageTaggings(tag: string, request: PageRequest): Promise<PageOf<OsdiTaggingRow>> {
    return this.page(
      `SELECT ${TAGGING_ID('t.tag', 't.person_id')} AS id, t.person_id AS "personId", t.created_at AS "createdAt" FROM person_tags t`,
      ['t.tag = $1'],
      [tag],
      't.created_at, t.person_id',
      request,
    );
  }

  async findTagging(tag: string, taggingId: string): Promise<OsdiTaggingRow | null> {
    const rows: OsdiTaggingRow[] = await this.dataSource.query(
      `SELECT ${TAGGING_ID('t.tag', 't.person_id')} AS id, t.person_id AS "personId", t.created_at AS "createdAt"
       FROM person_tags t WHERE t.tag = $1 AND ${TAGGING_ID('t.tag', 't.person_id')} = $2`,
      [tag, taggingId],
    );
    return rows[0] ?? null;
  }

  /** Tags a person; the tagging, new or already there. Null when the person does not exist. */
  async tag(personId: string, tag: string, tx?: EntityManager): Promise<OsdiTaggingRow | null> {
    const rows: OsdiTaggingRow[] = await (tx ?? this.dataSource).query(
      `WITH person AS (SELECT id FROM people WHERE id = $1),
            added AS (
              INSERT INTO person_tags (person_id, tag) SELECT id, $2 FROM person
              ON CONFLICT (person_id, tag) DO UPDATE SET tag = EXCLUDED.tag
              RETURNING person_id, tag, created_at)
       SELECT ${TAGGING_ID('tag', 'person_id')} AS id, person_id AS "personId", created_at AS "createdAt" FROM added`,
      [personId, tag],
    );
    return rows[0] ?? null;
  }

  async untag(personId: string, tag: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM person_tags WHERE person_id = $1 AND tag = $2`, [personId, tag]);
  }

  pageLists(request: PageRequest): Promise<PageOf<OsdiListRow>> {
    return this.page(
      `SELECT l.id, l.slug, l.name, l.created_at AS "createdAt",
         (SELECT count(*)::int FROM subscriptions s WHERE s.list_id = l.id AND s.status = 'subscribed') AS "totalItems"
       FROM lists l`,
      [],
      [],
      'l.created_at, l.id',
      request,
    );
  }

  async findList(id: string): Promise<OsdiListRow | null> {
    const found: OsdiListRow[] = await this.dataSource.query(
      `SELECT l.id, l.slug, l.name, l.created_at AS "createdAt",
         (SELECT count(*)::int FROM subscriptions s WHERE s.list_id = l.id AND s.status = 'subscribed') AS "totalItems"
       FROM lists l WHERE l.id = $1`,
      [id],
    );
    return found[0] ?? null;
  }

  /** A list's items are its subscribers: people whose subscription to it is `subscribed`. */
  pageItems(listId: string, request: PageRequest): Promise<PageOf<OsdiItemRow>> {
    return this.page(
      `SELECT s.id, s.person_id AS "personId", s.created_at AS "createdAt", s.updated_at AS "modifiedAt" FROM subscriptions s`,
      ['s.list_id = $1', `s.status = 'subscribed'`],
      [listId],
      's.created_at, s.id',
      request,
    );
  }

  async findItem(listId: string, itemId: string): Promise<OsdiItemRow | null> {
    const rows: OsdiItemRow[] = await this.dataSource.query(
      `SELECT s.id, s.person_id AS "personId", s.created_at AS "createdAt", s.updated_at AS "modifiedAt" FROM subscriptions s
       WHERE s.list_id = $1 AND s.id = $2 AND s.status = 'subscribed'`,
      [listId, itemId],
    );
    return rows[0] ?? null;
  }

  /** Lists named by slug or by name (OSDI's `add_lists` names them); the ones found. */
  async listsNamed(names: string[]): Promise<Array<{ id: string; slug: string; name: string; isPublic: boolean; isDefault: boolean }>> {
    if (names.length === 0) return [];
    return this.dataSource.query(
      `SELECT id, slug, name, is_public AS "isPublic", is_default AS "isDefault" FROM lists WHERE slug = ANY($1::text[]) OR name = ANY($1::text[])`,
      [names],
    );
  }

  async defaultListId(): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM lists WHERE is_default LIMIT 1`);
    return rows[0]?.id ?? null;
  }

  pagePetitions(request: PageRequest): Promise<PageOf<OsdiPetitionRow>> {
    return this.page(PETITION_SELECT, [], [], 'p.created_at, p.id', request);
  }

  async findPetition(id: string): Promise<OsdiPetitionRow | null> {
    const rows: OsdiPetitionRow[] = await this.dataSource.query(`${PETITION_SELECT} WHERE p.id = $1`, [id]);
    return rows[0] ?? null;
  }

  pageSignatures(petitionId: string, request: PageRequest): Promise<PageOf<OsdiSignatureRow>> {
    return this.page(SIGNATURE_SELECT, ['s.petition_id = $1'], [petitionId], 's.created_at, s.id', request, SIGNATURE_FILTER);
  }

  /** One person's signatures, every petition. */
  pagePersonSignatures(personId: string, request: PageRequest): Promise<PageOf<OsdiSignatureRow>> {
    return this.page(SIGNATURE_SELECT, ['s.person_id = $1'], [personId], 's.created_at, s.id', request, SIGNATURE_FILTER);
  }

  /** One person's attendances, every event. */
  pagePersonAttendances(personId: string, request: PageRequest): Promise<PageOf<OsdiAttendanceRow>> {
    return this.page(RSVP_SELECT, ['r.person_id = $1'], [personId], 'r.created_at, r.id', request, RSVP_FILTER);
  }

  /** One person's taggings, with their tags' names. */
  pagePersonTaggings(personId: string, request: PageRequest): Promise<PageOf<OsdiTaggingRow & { tagId: string }>> {
    return this.page(
      `SELECT ${TAGGING_ID('t.tag', 't.person_id')} AS id, ${TAG_ID('t.tag')} AS "tagId", t.person_id AS "personId", t.created_at AS "createdAt" FROM person_tags t`,
      ['t.person_id = $1'],
      [personId],
      't.created_at, t.tag',
      request,
    );
  }

  async findSignature(petitionId: string, id: string): Promise<OsdiSignatureRow | null> {
    const rows: OsdiSignatureRow[] = await this.dataSource.query(`${SIGNATURE_SELECT} WHERE s.petition_id = $1 AND s.id = $2`, [
      petitionId,
      id,
    ]);
    return rows[0] ?? null;
  }

  pageEvents(request: PageRequest): Promise<PageOf<OsdiEventRow>> {
    return this.page(EVENT_SELECT, [], [], 'e.created_at, e.id', request);
  }

  async findEvent(id: string): Promise<OsdiEventRow | null> {
    const rows: OsdiEventRow[] = await this.dataSource.query(`${EVENT_SELECT} WHERE e.id = $1`, [id]);
    return rows[0] ?? null;
  }

  pageAttendances(eventId: string, request: PageRequest): Promise<PageOf<OsdiAttendanceRow>> {
    return this.page(RSVP_SELECT, ['r.event_id = $1'], [eventId], 'r.created_at, r.id', request, RSVP_FILTER);
  }

  async findAttendance(eventId: string, id: string): Promise<OsdiAttendanceRow | null> {
    const rows: OsdiAttendanceRow[] = await this.dataSource.query(`${RSVP_SELECT} WHERE r.event_id = $1 AND r.id = $2`, [eventId, id]);
    return rows[0] ?? null;
  }

  // ---- writes ---------------------------------------------------------------------------

  /** An organizer's PUT: the details it names replace the person's. False when there is no such person. */
  async updatePerson(
    id: string,
    changes: Partial<Pick<VouchedPerson, 'givenName' | 'familyName' | 'country' | 'postalCode' | 'language'>>,
  ): Promise<boolean> {
    const columns = {
      givenName: 'given_name',
      familyName: 'family_name',
      country: 'country',
      postalCode: 'postal_code',
      language: 'language',
    };
    const set: string[] = [];
    const values: unknown[] = [id];
    for (const [key, column] of Object.entries(columns)) {
      const value = changes[key as keyof typeof changes];
      if (value === undefined) continue;
      values.push(value);
      set.push(`${column} = $${values.length}`);
    }
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE people SET ${[...set, 'updated_at = now()'].join(', ')} WHERE id = $1`,
      values,
    );
    return affected === 1;
  }

  /** The person of an address, created without details when new (the lifecycle fills them when the link is used). */
  async findOrCreatePerson(tx: EntityManager, email: string, emailNormalized: string): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO people (email, email_normalized) VALUES ($1, $2)
       ON CONFLICT (email_normalized) DO UPDATE SET email_normalized = EXCLUDED.email_normalized
       RETURNING id`,
      [email, emailNormalized],
    );
    return rows[0].id;
  }

  /**
   * An organizer vouches for this person's consent (`?consent=confirmed`), as an import does:
   * typed details replace those of a person who never confirmed an address, and only fill
   * gaps for one who did. Marked imported, so retention keeps them.
   */
  async upsertVouchedPerson(tx: EntityManager, p: VouchedPerson): Promise<string> {
    const set = (column: string): string =>
      `${column} = CASE WHEN people.confirmed_at IS NULL THEN coalesce(EXCLUDED.${column}, people.${column})
                        ELSE coalesce(people.${column}, EXCLUDED.${column}) END`;
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO people (email, email_normalized, given_name, family_name, country, postal_code, language, imported_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (email_normalized) DO UPDATE SET
         ${['given_name', 'family_name', 'country', 'postal_code', 'language'].map(set).join(', ')},
         imported_at = now(), updated_at = now()
       RETURNING id`,
      [p.email, p.emailNormalized, p.givenName, p.familyName, p.country, p.postalCode, p.language],
    );
    return rows[0].id;
  }

  /**
   * Subscribes a vouched person to lists, and records the consent for the lists that
   * changed. Someone who unsubscribed stays unsubscribed: an organizer cannot overrule them.
   */
  async subscribeVouched(tx: EntityManager, personId: string, listIds: string[], consent: VouchedConsent): Promise<void> {
    await tx.query(
      `WITH changed AS (
         INSERT INTO subscriptions (person_id, list_id, status, subscribed_at)
         SELECT $1, list_id, 'subscribed', now() FROM unnest($2::uuid[]) AS u(list_id)
         ON CONFLICT (person_id, list_id) DO UPDATE
           SET status = 'subscribed', subscribed_at = now(), unsubscribed_at = NULL, updated_at = now()
           WHERE subscriptions.status = 'pending'
         RETURNING list_id
       )
       INSERT INTO consent_records (person_id, action, form, text_version, list_slugs, request_id, vouched_by, given_at)
       SELECT $1, $3, 'osdi-api', 'organizer-vouched', coalesce(array_agg(l.slug ORDER BY l.slug) FILTER (WHERE l.slug IS NOT NULL), '{}'), $4, $5, now()
       FROM (SELECT 1) one LEFT JOIN changed c ON true LEFT JOIN lists l ON l.id = c.list_id`,
      [personId, listIds, consent.action, consent.requestId, consent.organizerId],
    );
  }

  /** A vouched signature: confirmed at once (a pending one becomes confirmed), counted once. Its id when it became confirmed. */
  async signVouched(
    tx: EntityManager,
    s: {
      petitionId: string;
      personId: string;
      givenName: string | null;
      familyName: string | null;
      country: string | null;
      postalCode: string | null;
      comment: string | null;
      language: string | null;
      consentTextVersion: string;
    },
  ): Promise<string | null> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO signatures (petition_id, person_id, given_name, family_name, country, postal_code, comment, language, consent_text_version,
                               status, confirmed_at, handled_requests)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'confirmed', now(), 1)
       ON CONFLICT (petition_id, person_id) DO UPDATE SET status = 'confirmed', confirmed_at = now()
         WHERE signatures.status = 'pending'
       RETURNING id`,
      [s.petitionId, s.personId, s.givenName, s.familyName, s.country, s.postalCode, s.comment, s.language, s.consentTextVersion],
    );
    if (rows.length === 0) return null;
    await tx.query(`INSERT INTO petition_count_deltas (petition_id, delta) VALUES ($1, 1)`, [s.petitionId]);
    return rows[0].id;
  }

  /**
   * A vouched RSVP, pending and already decided by the lifecycle (no confirmation job will
   * mail it): the caller seats it under the event's lock. A going or waitlisted RSVP keeps its
   * seat and details; null then.
   */
  async upsertVouchedRsvp(
    tx: EntityManager,
    r: {
      eventId: string;
      personId: string;
      email: string;
      givenName: string;
      familyName: string | null;
      country: string | null;
      language: string | null;
    },
  ): Promise<string | null> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO rsvps (event_id, person_id, email, given_name, family_name, country, language, subscribe, guests, processed_round)
       VALUES ($1, $2, $3, $4, $5, $6, $7, false, 0, 1)
       ON CONFLICT (event_id, person_id) DO UPDATE SET
         request_round = rsvps.request_round + 1, processed_round = rsvps.request_round + 1, status = 'pending',
         email = EXCLUDED.email, given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name, country = EXCLUDED.country,
         language = EXCLUDED.language, guests = 0, confirmed_at = NULL, cancelled_at = NULL, waitlist_position = NULL, going_at = NULL,
         cancel_token_id = NULL, updated_at = now()
         WHERE rsvps.status IN ('pending', 'refused', 'cancelled')
       RETURNING id`,
      [r.eventId, r.personId, r.email, r.givenName, r.familyName, r.country, r.language],
    );
    return rows[0]?.id ?? null;
  }

  async lockOpenPetition(tx: EntityManager, id: string): Promise<string | null> {
    const rows: Array<{ status: string }> = await tx.query(`SELECT status FROM petitions WHERE id = $1 FOR SHARE`, [id]);
    return rows[0]?.status ?? null;
  }
}
