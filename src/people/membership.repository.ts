import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { pgErrorCode } from '../database/database.module';
import { MailingList } from './mailing-list.entity';
import { Person } from './person.entity';
import { PersonSectionRegistry } from './person-sections.registry';

export interface PersonDetails {
  givenName: string | null;
  familyName: string | null;
  country: string | null;
  postalCode: string | null;
  language: string | null;
}

/** The person fields of a request (a sign-up, a signature...), nothing else of it. */
export function personDetailsOf(request: PersonDetails): PersonDetails {
  const { givenName, familyName, country, postalCode, language } = request;
  return { givenName, familyName, country, postalCode, language };
}

/** A consent to be recorded: which form, which text, through which request, when given. */
export interface NewConsent {
  personId: string;
  action: string;
  form: string;
  textVersion: string;
  listSlugs: string[];
  requestId: string;
  ipHash: string | null;
  givenAt: Date;
}

/**
 * The person write operations every feature shares: people, lists, subscriptions and consent
 * (the membership tables). Features call these; nothing here knows a feature.
 */
@Injectable()
export class MembershipRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly record: PersonSectionRegistry,
  ) {}

  /**
   * Deletes a person a public form created for an address that turned out to be suppressed,
   * when nothing else holds them: an erased address must not come back as a row. The one
   * definition for signatures and RSVPs alike. A confirmed or imported person is kept (an
   * organizer's import is not a stranger's typing), and so is anyone any feature's row still
   * names; rows of other features referring to people with RESTRICT also keep them.
   */
  async deletePersonIfUnused(personId: string): Promise<void> {
    // Every table whose rows name a person (people's own, and each action kind's) keeps them.
    const held = this.record
      .holders()
      .map((table) => `AND NOT EXISTS (SELECT 1 FROM ${table} WHERE person_id = p.id)`)
      .join(' ');
    await this.dataSource
      .query(`DELETE FROM people p WHERE p.id = $1 AND p.confirmed_at IS NULL AND p.imported_at IS NULL ${held}`, [personId])
      .catch((err: unknown) => {
        // foreign_key_violation: a row of another feature still holds the person.
        if (pgErrorCode(err) !== '23503') throw err;
      });
  }

  /**
   * Finds or creates the person for an address and locks their row for the rest of the
   * transaction, so two sign-ups of one address are decided one after the other.
   */
  async lockOrCreatePerson(tx: EntityManager, email: string, emailNormalized: string, details: PersonDetails): Promise<Person> {
    await tx.query(
      `INSERT INTO people (email, email_normalized, given_name, family_name, country, postal_code, language)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (email_normalized) DO NOTHING`,
      [email, emailNormalized, details.givenName, details.familyName, details.country, details.postalCode, details.language],
    );
    const person = await tx
      .getRepository(Person)
      .createQueryBuilder('p')
      .setLock('pessimistic_write')
      .where('p.email_normalized = :emailNormalized', { emailNormalized })
      .getOne();
    if (!person) throw new Error('person vanished inside its own transaction');
    return person;
  }

  /**
   * Sets a person's details and address as typed. `replace` drops what the sign-up left
   * out (an unconfirmed person's old details may be a stranger's); `merge` keeps it (a
   * confirmed person's details were their own).
   */
  async setPersonDetails(
    tx: EntityManager,
    personId: string,
    details: PersonDetails,
    email: string,
    mode: 'replace' | 'merge',
  ): Promise<void> {
    const value = (n: number, column: string): string => (mode === 'merge' ? `coalesce($${n}, ${column})` : `$${n}`);
    await tx.query(
      `UPDATE people SET
         given_name = ${value(2, 'given_name')}, family_name = ${value(3, 'family_name')},
         country = ${value(4, 'country')}, postal_code = ${value(5, 'postal_code')},
         language = ${value(6, 'language')}, email = $7, updated_at = now()
       WHERE id = $1`,
      [personId, details.givenName, details.familyName, details.country, details.postalCode, details.language, email],
    );
  }

  /** Locks a person's row for the rest of the transaction. */
  lockPerson(tx: EntityManager, id: string): Promise<Person | null> {
    return tx.getRepository(Person).createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id }).getOne();
  }

  /**
   * Marks the person protected, and forgets their postal code, when the request they proved
   * (a row of `table`) was a protected person's or their country is in `countries`.
   */
  async protectIfProtected(tx: EntityManager, personId: string, table: string, recordId: string, countries: string[]): Promise<void> {
    await tx.query(
      `UPDATE people SET protected = true, postal_code = NULL
       WHERE id = $1 AND (country = ANY($3::text[]) OR EXISTS (SELECT 1 FROM ${table} WHERE id = $2 AND protected))
         AND (NOT protected OR postal_code IS NOT NULL)`,
      [personId, recordId, countries],
    );
  }

  async markPersonConfirmed(tx: EntityManager, personId: string): Promise<void> {
    await tx.query(`UPDATE people SET confirmed_at = coalesce(confirmed_at, now()) WHERE id = $1`, [personId]);
  }

  // ---- lists a public request names: resolved here and nowhere else ----------------------
  // Only public lists exist for a public request: a private slug and an unknown one are
  // answered alike, by the same query, so nobody outside learns which private lists exist
  // or joins one. Organizer-side paths (imports, the admin API) read `lists` themselves.

  /** The slugs of a public request that name no public list (a request naming one is refused with a 400). */
  async unknownListSlugs(slugs: string[]): Promise<string[]> {
    if (slugs.length === 0) return [];
    const found = await this.findPublicLists(slugs);
    return slugs.filter((slug) => !found.some((l) => l.slug === slug));
  }

  /**
   * The public lists a request names, or the movement's default list when it names none.
   * Checked again when the request is decided and when its link is used: a list made private
   * meanwhile (or a request stored before lists had the flag) subscribes nobody to it.
   */
  async resolveLists(tx: EntityManager, slugs: string[]): Promise<MailingList[]> {
    if (slugs.length > 0) return this.findPublicLists(slugs, tx);
    const defaultList = await tx.getRepository(MailingList).findOne({ where: { isDefault: true, isPublic: true } });
    return defaultList ? [defaultList] : [];
  }

  private findPublicLists(slugs: string[], tx?: EntityManager): Promise<MailingList[]> {
    return (tx ?? this.dataSource.manager)
      .getRepository(MailingList)
      .createQueryBuilder('l')
      .where('l.slug = ANY(:slugs) AND l.is_public', { slugs })
      .getMany();
  }

  /** Creates missing subscriptions as pending; existing ones keep their status. */
  async ensurePendingSubscriptions(tx: EntityManager, personId: string, listIds: string[]): Promise<void> {
    if (listIds.length === 0) return;
    await tx.query(
      `INSERT INTO subscriptions (person_id, list_id, status)
       SELECT $1, unnest($2::uuid[]), 'pending'
       ON CONFLICT (person_id, list_id) DO NOTHING`,
      [personId, listIds],
    );
  }

  /** The person confirmed: every named list becomes subscribed, whatever it was before. */
  async subscribe(tx: EntityManager, personId: string, listIds: string[]): Promise<void> {
    if (listIds.length === 0) return;
    await tx.query(
      `INSERT INTO subscriptions (person_id, list_id, status, subscribed_at)
       SELECT $1, unnest($2::uuid[]), 'subscribed', now()
       ON CONFLICT (person_id, list_id) DO UPDATE
         SET status = 'subscribed', subscribed_at = now(), unsubscribed_at = NULL, updated_at = now()
         WHERE subscriptions.status <> 'subscribed'`,
      [personId, listIds],
    );
  }

  async recordConsent(tx: EntityManager, consent: NewConsent): Promise<void> {
    await tx.query(
      `INSERT INTO consent_records (person_id, action, form, text_version, list_slugs, request_id, ip_hash, given_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        consent.personId,
        consent.action,
        consent.form,
        consent.textVersion,
        consent.listSlugs,
        consent.requestId,
        consent.ipHash,
        consent.givenAt,
      ],
    );
  }
}
