import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface ImportPerson {
  email: string;
  emailNormalized: string;
  givenName: string | null;
  familyName: string | null;
  country: string | null;
  postalCode: string | null;
  language: string | null;
}

export interface ImportedConsent {
  importId: string;
  /** Null when imported from the command line. */
  organizerId: string | null;
  form: string;
}

/** Batched writes of a people import: one statement per table per batch. */
@Injectable()
export class ImportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async listIdsBySlug(): Promise<Map<string, string>> {
    const rows: Array<{ id: string; slug: string }> = await this.dataSource.query(`SELECT id, slug FROM lists`);
    return new Map(rows.map((r) => [r.slug, r.id]));
  }

  /** Every list, by slug, for an organizer to choose from (private ones too). */
  lists(): Promise<Array<{ slug: string; name: string }>> {
    return this.dataSource.query(`SELECT slug, name FROM lists ORDER BY slug`);
  }

  /** The movement's default list, if one is marked so. */
  async defaultListId(): Promise<string | null> {
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM lists WHERE is_default LIMIT 1`);
    return rows[0]?.id ?? null;
  }

  /**
   * Creates or updates people (one address at most once per batch). A non-empty cell
   * replaces the details of a person who never confirmed their address (those may be a
   * stranger's), but only fills gaps for one who did, unless `overwrite`: a confirmed
   * person's own details are not silently replaced by an organizer's spreadsheet.
   */
  upsertPeople(
    tx: EntityManager,
    people: ImportPerson[],
    overwrite: boolean,
  ): Promise<Array<{ id: string; emailNormalized: string; inserted: boolean }>> {
    const col = (key: keyof ImportPerson): Array<string | null> => people.map((p) => p[key]);
    const set = (column: string): string =>
      `${column} = CASE WHEN people.confirmed_at IS NULL OR $8 THEN coalesce(EXCLUDED.${column}, people.${column})
                        ELSE coalesce(people.${column}, EXCLUDED.${column}) END`;
    return tx.query(
      `INSERT INTO people (email, email_normalized, given_name, family_name, country, postal_code, language, imported_at)
       SELECT u.*, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u
       ON CONFLICT (email_normalized) DO UPDATE SET
         ${['given_name', 'family_name', 'country', 'postal_code', 'language'].map(set).join(',\n         ')},
         imported_at = now(), updated_at = now()
       RETURNING id, email_normalized AS "emailNormalized", (xmax = 0) AS inserted`,
      [
        col('email'),
        col('emailNormalized'),
        col('givenName'),
        col('familyName'),
        col('country'),
        col('postalCode'),
        col('language'),
        overwrite,
      ],
    );
  }

  /** Marks protected, and forgets the postal code of, those of these people whose country is in `countries`. */
  async protectByCountry(tx: EntityManager, ids: string[], countries: string[]): Promise<void> {
    if (countries.length === 0 || ids.length === 0) return;
    await tx.query(
      `UPDATE people SET protected = true, postal_code = NULL
       WHERE id = ANY($1::uuid[]) AND country = ANY($2::text[]) AND (NOT protected OR postal_code IS NOT NULL)`,
      [ids, countries],
    );
  }

  /**
   * Subscribes (person, list) pairs whose consent the organizer vouched for, and records
   * that consent per person for the lists that actually changed. A person who unsubscribed
   * stays unsubscribed: an organizer's file cannot overrule the person's own choice.
   */
  async subscribeWithImportedConsent(
    tx: EntityManager,
    pairs: Array<{ personId: string; listId: string }>,
    consent: ImportedConsent,
  ): Promise<void> {
    if (pairs.length === 0) return;
    await tx.query(
      `WITH changed AS (
         INSERT INTO subscriptions (person_id, list_id, status, subscribed_at)
         SELECT u.person_id, u.list_id, 'subscribed', now() FROM unnest($1::uuid[], $2::uuid[]) AS u(person_id, list_id)
         ON CONFLICT (person_id, list_id) DO UPDATE
           SET status = 'subscribed', subscribed_at = now(), unsubscribed_at = NULL, updated_at = now()
           WHERE subscriptions.status = 'pending'
         RETURNING person_id, list_id
       )
       INSERT INTO consent_records (person_id, action, form, text_version, list_slugs, request_id, vouched_by, given_at)
       SELECT c.person_id, 'import', $4, 'organizer-vouched', array_agg(l.slug ORDER BY l.slug), $3, $5, now()
       FROM changed c JOIN lists l ON l.id = c.list_id
       GROUP BY c.person_id`,
      [pairs.map((p) => p.personId), pairs.map((p) => p.listId), consent.importId, consent.form, consent.organizerId],
    );
  }
}
