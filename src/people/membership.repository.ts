import { pgErrorCode } from '../database/database.module';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RecordInsert } from '../outbox/outbox.repository';
import { MailingList } from './mailing-list.entity';
import { Person } from './person.entity';
import { Signup, SignupStatus } from '../join/signup.entity';

export interface PersonDetails {
  givenName: string | null;
  familyName: string | null;
  country: string | null;
  postalCode: string | null;
  language: string | null;
}

export function personDetailsOf(signup: PersonDetails): PersonDetails {
  const { givenName, familyName, country, postalCode, language } = signup;
  return { givenName, familyName, country, postalCode, language };
}

export type NewSignup = Pick<
  Signup,
  | 'email'
  | 'emailNormalized'
  | 'givenName'
  | 'familyName'
  | 'country'
  | 'postalCode'
  | 'language'
  | 'listSlugs'
  | 'source'
  | 'consentTextVersion'
  | 'ipHash'
>;

/** People, lists, subscriptions, consent and sign-ups: the membership tables. */
@Injectable()
export class SupportersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The INSERT of a sign-up, to be run together with its outbox entry. */
  signupInsert(id: string, s: NewSignup): RecordInsert {
    return {
      sql: `INSERT INTO signups (id, email, email_normalized, given_name, family_name, country, postal_code, language, list_slugs, source, consent_text_version, ip_hash)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      params: [
        id,
        s.email,
        s.emailNormalized,
        s.givenName,
        s.familyName,
        s.country,
        s.postalCode,
        s.language,
        s.listSlugs,
        s.source,
        s.consentTextVersion,
        s.ipHash,
      ],
    };
  }

  findSignup(id: string, tx?: EntityManager): Promise<Signup | null> {
    return (tx ?? this.dataSource.manager).getRepository(Signup).findOne({ where: { id } });
  }

  /** The sign-up, row-locked until the transaction ends: an erasure deleting it waits for us, or we find it gone. */
  lockSignup(tx: EntityManager, id: string): Promise<Signup | null> {
    return tx.getRepository(Signup).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async markSignup(tx: EntityManager, id: string, status: SignupStatus, personId: string | null): Promise<void> {
    await tx.query(`UPDATE signups SET status = $2, person_id = $3, processed_at = coalesce(processed_at, now()) WHERE id = $1`, [
      id,
      status,
      personId,
    ]);
  }

  /**
   * Deletes a person a public form created for an address that turned out to be suppressed,
   * when nothing else holds them: an erased address must not come back as a row. The one
   * definition for signatures and RSVPs alike. A confirmed or imported person is kept (an
   * organizer's import is not a stranger's typing), and so is anyone any feature's row still
   * names; rows of other features referring to people with RESTRICT also keep them.
   */
  async deletePersonIfUnused(personId: string): Promise<void> {
    await this.dataSource
      .query(
        `DELETE FROM people p WHERE p.id = $1 AND p.confirmed_at IS NULL AND p.imported_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM signups WHERE person_id = p.id)
           AND NOT EXISTS (SELECT 1 FROM subscriptions WHERE person_id = p.id)
           AND NOT EXISTS (SELECT 1 FROM consent_records WHERE person_id = p.id)
           AND NOT EXISTS (SELECT 1 FROM person_tags WHERE person_id = p.id)
           AND NOT EXISTS (SELECT 1 FROM signatures WHERE person_id = p.id)
           AND NOT EXISTS (SELECT 1 FROM rsvps WHERE person_id = p.id)`,
        [personId],
      )
      .catch((err: unknown) => {
        // foreign_key_violation: a row of another feature still holds the person.
        if (pgErrorCode(err) !== '23503') throw err;
      });
  }

  /** Deletes a sign-up outright (one from a suppressed address: nothing of it may stay). */
  async deleteSignup(tx: EntityManager, id: string): Promise<void> {
    await tx.query(`DELETE FROM signups WHERE id = $1`, [id]);
  }

  /** Marks a mailed sign-up confirmed; false when it was not in `mailed` (already confirmed). */
  async confirmSignup(tx: EntityManager, id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await tx.query(
      `UPDATE signups SET status = 'confirmed', confirmed_at = now() WHERE id = $1 AND status = 'mailed'`,
      [id],
    );
    return affected === 1;
  }

  /** Sign-ups stuck in `received` (their job was lost): for re-driving. */
  async findStaleReceived(olderThanSeconds: number, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM signups WHERE status = 'received' AND created_at < now() - make_interval(secs => $1) ORDER BY created_at LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((r) => r.id);
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

  async markPersonConfirmed(tx: EntityManager, personId: string): Promise<void> {
    await tx.query(`UPDATE people SET confirmed_at = coalesce(confirmed_at, now()) WHERE id = $1`, [personId]);
  }

  findListsBySlugs(slugs: string[], tx?: EntityManager): Promise<MailingList[]> {
    return (tx ?? this.dataSource.manager)
      .getRepository(MailingList)
      .createQueryBuilder('l')
      .where('l.slug = ANY(:slugs)', { slugs })
      .getMany();
  }

  /** The lists a request names, or the movement's default list when it names none. */
  async resolveLists(tx: EntityManager, slugs: string[]): Promise<MailingList[]> {
    if (slugs.length > 0) return this.findListsBySlugs(slugs, tx);
    const defaultList = await tx.getRepository(MailingList).findOne({ where: { isDefault: true } });
    return defaultList ? [defaultList] : [];
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

  async recordConsent(
    tx: EntityManager,
    consent: {
      personId: string;
      action: string;
      form: string;
      textVersion: string;
      listSlugs: string[];
      requestId: string;
      ipHash: string | null;
      givenAt: Date;
    },
  ): Promise<void> {
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
