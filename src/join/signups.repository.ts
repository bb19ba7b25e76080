import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { RecordInsert } from '../outbox/outbox.repository';
import { Signup, SignupStatus } from './signup.entity';

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
  | 'protected'
>;

/** Sign-ups: the join flow's own table (people, lists and consent are the people core's). */
@Injectable()
export class SignupsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The INSERT of a sign-up, to be run together with its outbox entry. */
  signupInsert(id: string, s: NewSignup): RecordInsert {
    return {
      sql: `INSERT INTO signups (id, email, email_normalized, given_name, family_name, country, postal_code, language, list_slugs, source, consent_text_version, ip_hash, protected)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
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
        s.protected,
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

  /** Join requests as they came in (subject access: what they typed, when). No IP hash: it identifies nothing to them. */
  signupsOf(personId: string): Promise<unknown[]> {
    return this.dataSource.query(
      `SELECT id, email, given_name AS "givenName", family_name AS "familyName", country, postal_code AS "postalCode",
              language, list_slugs AS lists, source, status, created_at AS "createdAt", confirmed_at AS "confirmedAt"
       FROM signups WHERE person_id = $1 ORDER BY created_at, id`,
      [personId],
    );
  }

  /** Erasure: every join request of the person or of the address, including ones the worker has not handled yet. */
  async deleteSignupsOf(tx: EntityManager, personId: string, emailNormalized: string): Promise<void> {
    await tx.query(`DELETE FROM signups WHERE person_id = $1 OR email_normalized = $2`, [personId, emailNormalized]);
  }
}
