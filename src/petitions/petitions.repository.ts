import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { CURSOR_MICROS_SQL, CURSOR_TIMESTAMP_SQL, KeysetPosition, keysetClauses, SyncWindow } from '../common/pagination';
import { csvColumns } from '../exports/csv-columns';
import type { CsvQuery } from '../exports/csv-export.repository';
import { PendingOutboxEntry } from '../outbox/outbox.repository';
import { Petition, PetitionStatus, PetitionTranslations } from './petition.entity';
import { Signature, SignatureStatus } from './signature.entity';

/** The columns of a petition's signature export (`signatures.csv`); the address is the person's. */
export const SIGNATURE_CSV_COLUMNS = csvColumns(
  's',
  'id:uuid email=p.email givenName familyName country postalCode language comment publicName subscribe referrerSource referrerMedium referrerCampaign referrerUrl status createdAt:timestamp confirmedAt:timestamp protected',
);

export interface NewPetition {
  slug: string;
  title: string;
  summary: string;
  body: string;
  target: string;
  goal: number;
  goalFixed: boolean;
  language: string;
  status: PetitionStatus;
  translations: PetitionTranslations;
}

export type PetitionChanges = Partial<NewPetition>;

export type PetitionWithCount = Petition & { signatureCount: number };

/** What the signer typed, stored on the signature row (never on the person, yet). */
export interface NewSignature {
  petitionId: string;
  email: string;
  emailNormalized: string;
  givenName: string;
  familyName: string | null;
  country: string;
  postalCode: string | null;
  comment: string | null;
  language: string | null;
  publicName: boolean;
  subscribe: boolean;
  referrerSource: string | null;
  referrerMedium: string | null;
  referrerCampaign: string | null;
  referrerUrl: string | null;
  consentTextVersion: string;
  ipHash: string | null;
  /** A protected person's (docs/safety.md): public_name is false and no postal code came with it. */
  protected: boolean;
}

/**
 * One signature of a batch with the number of requests it stands for: a batch holds each
 * (petition, address) once, so repeats within it become `requests` > 1.
 */
export interface SignatureRequest {
  signature: NewSignature;
  signatureId: string;
  requests: number;
}

/**
 * A signature with what the worker needs of its person, read under the signature's lock.
 * Joined to its person, so never an anonymised one: person and typed details are present.
 */
export type SignatureForProcessing = Omit<Signature, 'personId' | 'givenName' | 'country'> & {
  personId: string;
  givenName: string;
  country: string;
  personEmail: string;
  personLanguage: string | null;
  personConfirmedAt: Date | null;
  petitionSlug: string;
};

export interface PublicSigner {
  givenName: string;
  familyName: string | null;
  country: string;
  comment: string | null;
  createdAt: Date;
}

const PETITION_COLUMNS = `p.id, p.slug, p.title, p.summary, p.body, p.target, p.goal, p.goal_fixed AS "goalFixed", p.language,
  p.status, p.translations, p.created_at AS "createdAt", p.updated_at AS "updatedAt",
  coalesce(c.confirmed_count, 0)::int AS "signatureCount"`;

const SIGNATURE_COLUMNS = `s.id, s.petition_id AS "petitionId", s.person_id AS "personId", s.status, s.given_name AS "givenName",
  s.family_name AS "familyName", s.country, s.postal_code AS "postalCode", s.comment, s.language, s.public_name AS "publicName",
  s.subscribe, s.referrer_source AS "referrerSource", s.referrer_medium AS "referrerMedium", s.referrer_campaign AS "referrerCampaign",
  s.referrer_url AS "referrerUrl", s.consent_text_version AS "consentTextVersion", s.ip_hash AS "ipHash", s.sign_requests AS "signRequests",
  s.handled_requests AS "handledRequests", s.mailed_at AS "mailedAt", s.reminded_at AS "remindedAt", s.created_at AS "createdAt",
  s.confirmed_at AS "confirmedAt", s.modified_at AS "modifiedAt", s.protected`;

/** Petitions, signatures and their counts: the only code of the feature that touches SQL. */
@Injectable()
export class PetitionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- petitions -------------------------------------------------------------------------

  async insertPetition(p: NewPetition): Promise<string> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `INSERT INTO petitions (slug, title, summary, body, target, goal, goal_fixed, language, status, translations)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [p.slug, p.title, p.summary, p.body, p.target, p.goal, p.goalFixed, p.language, p.status, JSON.stringify(p.translations)],
    );
    return rows[0].id;
  }

  /** Applies the given fields; false when the petition does not exist. */
  async updatePetition(id: string, changes: PetitionChanges): Promise<boolean> {
    const columns: Record<keyof NewPetition, string> = {
      slug: 'slug',
      title: 'title',
      summary: 'summary',
      body: 'body',
      target: 'target',
      goal: 'goal',
      goalFixed: 'goal_fixed',
      language: 'language',
      status: 'status',
      translations: 'translations',
    };
    const sets: string[] = [];
    const params: unknown[] = [id];
    for (const [key, column] of Object.entries(columns) as Array<[keyof NewPetition, string]>) {
      const value = changes[key];
      if (value === undefined) continue;
      params.push(key === 'translations' ? JSON.stringify(value) : value);
      sets.push(`${column} = $${params.length}`);
    }
    sets.push('updated_at = now()');
    const [, affected]: [unknown, number] = await this.dataSource.query(`UPDATE petitions SET ${sets.join(', ')} WHERE id = $1`, params);
    return affected === 1;
  }

  async findPetition(id: string): Promise<PetitionWithCount | null> {
    const rows: PetitionWithCount[] = await this.dataSource.query(
      `SELECT ${PETITION_COLUMNS} FROM petitions p LEFT JOIN petition_counts c ON c.petition_id = p.id WHERE p.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Two primary-key lookups, whatever the petition's size. */
  async findPetitionBySlug(slug: string): Promise<PetitionWithCount | null> {
    const rows: PetitionWithCount[] = await this.dataSource.query(
      `SELECT ${PETITION_COLUMNS} FROM petitions p LEFT JOIN petition_counts c ON c.petition_id = p.id WHERE p.slug = $1`,
      [slug],
    );
    return rows[0] ?? null;
  }

  async findPetitionStatus(id: string): Promise<PetitionStatus | null> {
    const rows: Array<{ status: PetitionStatus }> = await this.dataSource.query(`SELECT status FROM petitions WHERE id = $1`, [id]);
    return rows[0]?.status ?? null;
  }

  /** Keyset page, newest first; `status` filters when given. */
  pagePetitions(
    limit: number,
    after: KeysetPosition | undefined,
    status?: PetitionStatus,
  ): Promise<Array<PetitionWithCount & { cursorMicros: string }>> {
    const params: unknown[] = [limit];
    const where: string[] = [];
    if (status) {
      params.push(status);
      where.push(`p.status = $${params.length}`);
    }
    if (after) {
      params.push(after.createdAtMicros, after.id);
      where.push(`(p.created_at, p.id) < (${CURSOR_TIMESTAMP_SQL(`$${params.length - 1}`)}, $${params.length})`);
    }
    return this.dataSource.query(
      `SELECT ${PETITION_COLUMNS}, ${CURSOR_MICROS_SQL('p.created_at')} AS "cursorMicros"
       FROM petitions p LEFT JOIN petition_counts c ON c.petition_id = p.id
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY p.created_at DESC, p.id DESC LIMIT $1`,
      params,
    );
  }

  // ---- the sign path ---------------------------------------------------------------------

  /**
   * A batch of signature requests in one statement (atomic, one round trip, one commit), the
   * same statement whatever the addresses' histories: upsert each person by address (nothing
   * of an existing person changes), insert each signature or count the requests on the
   * existing one, and write one outbox intent per request. Requests for a petition that is
   * not open write nothing. People are upserted in address order, so two batches sharing
   * addresses wait for each other instead of deadlocking.
   *
   * Returns the intents to dispatch and the ids of the batch's petitions that were open.
   */
  async signMany(
    requests: SignatureRequest[],
    intent: Pick<PendingOutboxEntry, 'queue' | 'jobName'>,
  ): Promise<{ intents: PendingOutboxEntry[]; openPetitionIds: Set<string> }> {
    const column = <T>(pick: (r: SignatureRequest) => T): T[] => requests.map(pick);
    // A named statement: prepared once per connection, never planned again (planning was a
    // fifth of a batch's time). The pool is TypeORM's own.
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<{
      id: string | null;
      job_id: string | null;
      payload: { signatureId: string } | null;
      open_petition_id: string | null;
    }>({
      name: 'petitions-sign-many',
      text: `WITH input AS (
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
                                $9::text[], $10::text[], $11::boolean[], $12::boolean[], $13::text[], $14::text[], $15::text[],
                                $16::text[], $17::text[], $18::text[], $19::int[], $23::boolean[])
             WITH ORDINALITY AS t(petition_id, email, email_normalized, signature_id, given_name, family_name, country, postal_code,
                                  comment, language, public_name, subscribe, referrer_source, referrer_medium, referrer_campaign,
                                  referrer_url, consent_text_version, ip_hash, requests, protected, ord)
         ), open_petition AS (
           SELECT id FROM petitions WHERE id = ANY($22::uuid[]) AND status = 'open'
         ), signable AS (
           SELECT input.* FROM input JOIN open_petition ON open_petition.id = input.petition_id
         ), person AS (
           INSERT INTO people (email, email_normalized)
           SELECT DISTINCT ON (email_normalized) email, email_normalized FROM signable ORDER BY email_normalized, ord
           ON CONFLICT (email_normalized) DO UPDATE SET email_normalized = EXCLUDED.email_normalized
           RETURNING id, email_normalized
         ), signature AS (
           INSERT INTO signatures (id, petition_id, person_id, given_name, family_name, country, postal_code, comment, language,
                                   public_name, subscribe, referrer_source, referrer_medium, referrer_campaign, referrer_url,
                                   consent_text_version, ip_hash, sign_requests, protected)
           SELECT s.signature_id, s.petition_id, person.id, s.given_name, s.family_name, s.country, s.postal_code, s.comment, s.language,
                  s.public_name, s.subscribe, s.referrer_source, s.referrer_medium, s.referrer_campaign, s.referrer_url,
                  s.consent_text_version, s.ip_hash, s.requests, s.protected
           FROM signable s JOIN person USING (email_normalized)
           ORDER BY s.email_normalized, s.petition_id
           -- A repeat asking for protection gets it (it can only hide a name, never show one).
           ON CONFLICT (petition_id, person_id) DO UPDATE SET sign_requests = signatures.sign_requests + EXCLUDED.sign_requests,
             protected = signatures.protected OR EXCLUDED.protected, public_name = signatures.public_name AND NOT EXCLUDED.protected
           RETURNING id, petition_id, person_id, sign_requests
         ), intent AS (
           INSERT INTO outbox (queue, job_name, job_id, payload)
           -- The n-th request of a signature gets a job of its own (the first one's id is still
           -- known to the queue); the worker decides whether it resends anything.
           SELECT $20::text, $21::text,
                  CASE WHEN n = 1 THEN 'signature-' || signature.id ELSE 'signature-' || signature.id || '-' || n END,
                  jsonb_build_object('signatureId', signature.id)
           FROM signature
           JOIN person ON person.id = signature.person_id
           JOIN signable s ON s.petition_id = signature.petition_id AND s.email_normalized = person.email_normalized
           CROSS JOIN LATERAL generate_series(signature.sign_requests - s.requests + 1, signature.sign_requests) AS n
           RETURNING id, job_id, payload
         )
         SELECT id, job_id, payload, NULL::uuid AS open_petition_id FROM intent
         UNION ALL
         SELECT NULL, NULL, NULL, id FROM open_petition`,
      values: [
        column((r) => r.signature.petitionId),
        column((r) => r.signature.email),
        column((r) => r.signature.emailNormalized),
        column((r) => r.signatureId),
        column((r) => r.signature.givenName),
        column((r) => r.signature.familyName),
        column((r) => r.signature.country),
        column((r) => r.signature.postalCode),
        column((r) => r.signature.comment),
        column((r) => r.signature.language),
        column((r) => r.signature.publicName),
        column((r) => r.signature.subscribe),
        column((r) => r.signature.referrerSource),
        column((r) => r.signature.referrerMedium),
        column((r) => r.signature.referrerCampaign),
        column((r) => r.signature.referrerUrl),
        column((r) => r.signature.consentTextVersion),
        column((r) => r.signature.ipHash),
        column((r) => r.requests),
        intent.queue,
        intent.jobName,
        [...new Set(column((r) => r.signature.petitionId))],
        column((r) => r.signature.protected),
      ],
    });
    const intents: PendingOutboxEntry[] = [];
    const openPetitionIds = new Set<string>();
    for (const row of rows) {
      if (row.open_petition_id) openPetitionIds.add(row.open_petition_id);
      else if (row.id && row.job_id && row.payload) {
        intents.push({ id: row.id, queue: intent.queue, jobName: intent.jobName, jobId: row.job_id, payload: row.payload });
      }
    }
    return { intents, openPetitionIds };
  }

  // ---- the worker ------------------------------------------------------------------------

  lockSignature(tx: EntityManager, id: string): Promise<SignatureForProcessing | null> {
    return this.signatureForProcessing(tx, id, 'FOR UPDATE OF s');
  }

  /** Inside the caller's transaction when given one (a confirmation must not hold a second connection). */
  findSignature(id: string, tx?: EntityManager): Promise<SignatureForProcessing | null> {
    return this.signatureForProcessing(tx ?? this.dataSource.manager, id, '');
  }

  private async signatureForProcessing(manager: EntityManager, id: string, lock: string): Promise<SignatureForProcessing | null> {
    const rows: SignatureForProcessing[] = await manager.query(
      `SELECT ${SIGNATURE_COLUMNS}, p.email AS "personEmail", p.language AS "personLanguage", p.confirmed_at AS "personConfirmedAt",
              pt.slug AS "petitionSlug"
       FROM signatures s JOIN people p ON p.id = s.person_id JOIN petitions pt ON pt.id = s.petition_id
       WHERE s.id = $1 ${lock}`,
      [id],
    );
    return rows[0] ?? null;
  }

  async markHandled(tx: EntityManager, id: string, handledRequests: number, mailed: boolean): Promise<void> {
    await tx.query(
      `UPDATE signatures SET handled_requests = greatest(handled_requests, $2), mailed_at = CASE WHEN $3 THEN now() ELSE mailed_at END
       WHERE id = $1`,
      [id, handledRequests, mailed],
    );
  }

  /**
   * Deletes a pending signature; returns whether its person was created by the very same
   * request (one statement, one timestamp), i.e. whether the person is this request's own.
   */
  async deleteSignature(tx: EntityManager, id: string): Promise<boolean> {
    // TypeORM answers a DELETE with [rows, affected].
    const [rows]: [Array<{ fresh: boolean }>, number] = await tx.query(
      `DELETE FROM signatures s USING people p
       WHERE s.id = $1 AND s.status = 'pending' AND p.id = s.person_id
       RETURNING p.created_at = s.created_at AS fresh`,
      [id],
    );
    return rows[0]?.fresh ?? false;
  }

  /** Pending → confirmed, recording one count delta; false when it was already confirmed. */
  async confirmSignature(tx: EntityManager, id: string, petitionId: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await tx.query(
      `UPDATE signatures SET status = 'confirmed', confirmed_at = now() WHERE id = $1 AND status = 'pending'`,
      [id],
    );
    if (affected !== 1) return false;
    await tx.query(`INSERT INTO petition_count_deltas (petition_id, delta) VALUES ($1, 1)`, [petitionId]);
    return true;
  }

  // ---- reminders -------------------------------------------------------------------------

  async findDueReminders(mailedBefore: Date, limit: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM signatures WHERE status = 'pending' AND reminded_at IS NULL AND mailed_at IS NOT NULL AND mailed_at < $1
       ORDER BY mailed_at LIMIT $2`,
      [mailedBefore, limit],
    );
    return rows.map((r) => r.id);
  }

  /** Takes the one-off reminder lock; false when another worker (or a confirmation) came first. */
  async claimReminder(tx: EntityManager, id: string, mailedBefore: Date): Promise<boolean> {
    const [, affected]: [unknown, number] = await tx.query(
      `UPDATE signatures SET reminded_at = now()
       WHERE id = $1 AND status = 'pending' AND reminded_at IS NULL AND mailed_at < $2`,
      [id, mailedBefore],
    );
    return affected === 1;
  }

  // ---- counts ----------------------------------------------------------------------------

  /**
   * Moves every committed delta into the counts, in one statement: DELETE ... RETURNING
   * takes only committed rows, and a concurrent run skips the rows this one deleted, so
   * each confirmation is added exactly once. Returns the petitions whose count moved.
   */
  async aggregateCounts(): Promise<string[]> {
    const rows: Array<{ petition_id: string }> = await this.dataSource.query(
      `WITH taken AS (
         DELETE FROM petition_count_deltas RETURNING petition_id, delta
       ), sums AS (
         SELECT petition_id, sum(delta)::bigint AS n FROM taken GROUP BY petition_id
       )
       INSERT INTO petition_counts (petition_id, confirmed_count, updated_at)
       SELECT petition_id, n, now() FROM sums
       ON CONFLICT (petition_id) DO UPDATE
         SET confirmed_count = petition_counts.confirmed_count + EXCLUDED.confirmed_count, updated_at = now()
       RETURNING petition_id`,
    );
    return rows.map((r) => r.petition_id);
  }

  /**
   * Sets a petition's count from its signatures (after erasures, say). The count and the
   * deltas it absorbs are read in one statement's snapshot, so a confirmation committing
   * meanwhile is neither lost nor counted twice: its delta stays for the next aggregation.
   */
  async recount(petitionId: string): Promise<void> {
    await this.dataSource.query(
      `WITH absorbed AS (
         DELETE FROM petition_count_deltas WHERE petition_id = $1 RETURNING 1
       ), actual AS (
         SELECT count(*)::bigint AS n FROM signatures WHERE petition_id = $1 AND status = 'confirmed'
       )
       INSERT INTO petition_counts (petition_id, confirmed_count, updated_at)
       SELECT $1, actual.n, now() FROM actual, (SELECT count(*) FROM absorbed) a
       ON CONFLICT (petition_id) DO UPDATE SET confirmed_count = EXCLUDED.confirmed_count, updated_at = now()`,
      [petitionId],
    );
  }

  async openOrClosedPetitionIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM petitions WHERE status <> 'draft'`);
    return rows.map((r) => r.id);
  }

  // ---- signer lists ----------------------------------------------------------------------

  /** Newest first; in a sync window, changed since, oldest change first (IDX_signatures_petition_modified). */
  pageSignatures(
    petitionId: string,
    limit: number,
    after?: KeysetPosition,
    sync?: SyncWindow,
  ): Promise<Array<Signature & { email: string | null; cursorMicros: string }>> {
    const params: unknown[] = [petitionId, limit];
    const keyset = keysetClauses('s', params, { after, sync, newestFirst: true });
    return this.dataSource.query(
      // LEFT JOIN: a confirmed signature of an erased person stays listed, anonymous, so the
      // list adds up to the count.
      `SELECT ${SIGNATURE_COLUMNS}, p.email, ${keyset.cursorSql} AS "cursorMicros"
       FROM signatures s LEFT JOIN people p ON p.id = s.person_id
       WHERE ${['s.petition_id = $1', ...keyset.conditions].join(' AND ')}
       ORDER BY ${keyset.orderBy} LIMIT $2`,
      params,
    );
  }

  publicSigners(petitionId: string, limit: number): Promise<PublicSigner[]> {
    return this.dataSource.query(
      `SELECT given_name AS "givenName", family_name AS "familyName", country, comment, created_at AS "createdAt"
       FROM signatures WHERE petition_id = $1 AND status = 'confirmed' AND public_name
       ORDER BY created_at DESC LIMIT $2`,
      [petitionId, limit],
    );
  }
  // ---- the people feature: sections, erasure, export, retention ----------------------

  async signaturesOf(personId: string): Promise<PersonSignature[]> {
    const rows: Array<Omit<PersonSignature, 'referrer'> & Record<'rs' | 'rm' | 'rc' | 'ru', string | null>> = await this.dataSource.query(
      `SELECT s.id, s.petition_id AS "petitionId", pt.slug AS "petitionSlug", pt.title AS "petitionTitle", s.status,
              s.given_name AS "givenName", s.family_name AS "familyName", s.country, s.postal_code AS "postalCode", s.language,
              s.comment, s.public_name AS "publicName", s.subscribe, s.referrer_source AS rs, s.referrer_medium AS rm,
              s.referrer_campaign AS rc, s.referrer_url AS ru, s.created_at AS "createdAt", s.confirmed_at AS "confirmedAt"
       FROM signatures s JOIN petitions pt ON pt.id = s.petition_id
       WHERE s.person_id = $1 ORDER BY s.created_at, s.id`,
      [personId],
    );
    return rows.map(({ rs, rm, rc, ru, ...rest }) => ({ ...rest, referrer: { source: rs, medium: rm, campaign: rc, url: ru } }));
  }

  /**
   * Erasure (the people feature's step, inside its transaction, person locked): a pending
   * signature goes (it was never counted); a confirmed one stays for the count but loses
   * its person and everything typed or recorded about the signer, and leaves the public
   * list (`public_name` false). Marked handled so no reconciler or reminder looks at it.
   */
  async anonymiseSignaturesOf(tx: EntityManager, personId: string): Promise<void> {
    await tx.query(`DELETE FROM signatures WHERE person_id = $1 AND status = 'pending'`, [personId]);
    await tx.query(
      `UPDATE signatures SET person_id = NULL, given_name = NULL, family_name = NULL, country = NULL, postal_code = NULL,
         comment = NULL, language = NULL, public_name = false, subscribe = false, referrer_source = NULL, referrer_medium = NULL,
         referrer_campaign = NULL, referrer_url = NULL, ip_hash = NULL, mailed_at = NULL, reminded_at = NULL,
         handled_requests = sign_requests
       WHERE person_id = $1`,
      [personId],
    );
  }

  /**
   * The signature export of a petition, pending and confirmed. Anonymised signatures (their
   * person erased) are rows with only id, status and times, so the file adds up to the count.
   */
  signatureExportQuery(petitionId: string, filters: SignatureExportFilters): CsvQuery {
    const params: unknown[] = [petitionId];
    const conditions = ['s.petition_id = $1'];
    if (filters.status) {
      params.push(filters.status);
      conditions.push(`s.status = $${params.length}`);
    }
    if (filters.country) {
      params.push(filters.country);
      conditions.push(`s.country = $${params.length}`);
    }
    if (filters.language) {
      params.push(filters.language);
      // `ar` also finds `ar-EG`, as in the people filters.
      conditions.push(`(s.language = $${params.length} OR s.language LIKE $${params.length} || '-%')`);
    }
    return {
      columns: SIGNATURE_CSV_COLUMNS,
      from: `FROM signatures s LEFT JOIN people p ON p.id = s.person_id WHERE ${conditions.join(' AND ')}`,
      params,
    };
  }
}

/** Filters of the signature export (the signature's own country and language, as typed). */
export interface SignatureExportFilters {
  status?: SignatureStatus;
  country?: string;
  language?: string;
}

/** A person's signature, as the people feature shows it (detail and subject access). */
export interface PersonSignature {
  id: string;
  petitionId: string;
  petitionSlug: string;
  petitionTitle: string;
  status: SignatureStatus;
  givenName: string | null;
  familyName: string | null;
  country: string | null;
  postalCode: string | null;
  language: string | null;
  comment: string | null;
  publicName: boolean;
  subscribe: boolean;
  referrer: { source: string | null; medium: string | null; campaign: string | null; url: string | null };
  createdAt: Date;
  confirmedAt: Date | null;
}
