// Seeds the bench's scratch database at the requested size without the API: people with
// COPY, then (for the "late" scenario) a million signatures over those rows as set-based
// SQL, the fastest way PostgreSQL offers to fill a table from another. (The newsletter
// measures seed their own audience: scripts/lib/measure-newsletter.ts.)
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BenchOptions } from './bench-setup';

export const PETITIONS = {
  sign: 'bench-sign', // full-speed and 80 % sign runs; the GET targets (JSON and page)
  burst: 'bench-burst', // the confirmation burst
  first: 'bench-first', // empty: the first signatures (--only late)
  late: 'bench-late', // pre-seeded with --late-signatures: the millionth (--only late)
} as const;
export type PetitionKey = keyof typeof PETITIONS;

const NAMES = ['أمل', 'سارا', 'Sam', 'Zahra', 'Élodie', 'محمد', 'Noor', 'Kian'];
const COUNTRIES = ['LB', 'IR', 'FR', 'EG', 'GB', 'TN'];
const LANGS = ['ar', 'fa', 'fr', 'en'];

/** person-0000000@example.org … in COPY text format; zero-padded so ORDER BY email is the seeding order. */
async function copyPeople(db: Client, people: number): Promise<void> {
  const stream = db.query(
    copyFrom(`COPY people (email, email_normalized, given_name, family_name, country, postal_code, language, confirmed_at) FROM STDIN`),
  );
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  let i = 0;
  const write = (): void => {
    let ok = true;
    while (i < people && ok) {
      const email = `person-${String(i).padStart(7, '0')}@example.org`;
      const n = NAMES.length;
      ok = stream.write(
        `${email}\t${email}\t${NAMES[i % n]}\t${NAMES[(i + 3) % n]} ${i}\t${COUNTRIES[i % COUNTRIES.length]}\t${10000 + (i % 90000)}\t${LANGS[i % LANGS.length]}\t2026-01-01 00:00:00+00\n`,
      );
      i++;
    }
    if (i < people) stream.once('drain', write);
    else stream.end();
  };
  write();
  await done;
}

const SEEDED_TABLES = ['people', 'signatures'];

/**
 * Bulk loading is several times faster without maintaining secondary indexes row by row
 * and without a foreign-key check per row: drop the indexes that back no constraint, skip
 * the FK triggers (the rows are consistent by construction), load, then build the indexes
 * once each from sorted data.
 */
async function bulkLoad(db: Client, fn: () => Promise<void>): Promise<void> {
  const { rows: indexes } = await db.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
     WHERE t.relname = ANY($1) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    [SEEDED_TABLES],
  );
  for (const { name } of indexes) await db.query(`DROP INDEX ${name}`);
  await db.query(`SET session_replication_role = replica`);
  try {
    await fn();
  } finally {
    await db.query(`RESET session_replication_role`);
  }
  await db.query(`SET maintenance_work_mem = '256MB'`);
  for (const { def } of indexes) await db.query(def);
  await db.query(`RESET maintenance_work_mem`);
}

export interface Seeded {
  petitions: Record<PetitionKey, string>;
  slugs: typeof PETITIONS;
}

export async function seed(db: Client, options: BenchOptions, log: (line: string) => void): Promise<Seeded> {
  let t = Date.now();
  const step = (what: string): void => {
    log(`  ${what} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    t = Date.now();
  };
  let ids: Record<PetitionKey, string> | undefined;
  await bulkLoad(db, async () => {
    ids = await seedRows(db, options, step);
  });
  step('indexes built');
  // Index-only scans and fresh statistics, as a database that has lived a while has them.
  await db.query('VACUUM ANALYZE');
  step('VACUUM ANALYZE');
  return { petitions: ids!, slugs: PETITIONS };
}

async function seedRows(db: Client, options: BenchOptions, step: (what: string) => void): Promise<Record<PetitionKey, string>> {
  await copyPeople(db, options.people);
  step(`${options.people.toLocaleString('en')} people (COPY)`);
  const ids = {} as Record<PetitionKey, string>;
  for (const [key, slug] of Object.entries(PETITIONS) as Array<[PetitionKey, string]>) {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO petitions (slug, title, summary, body, target, goal, language, status)
       VALUES ($1, 'Free the press', 'Sign for the journalists held without charge.', $2, 'The Minister of Justice', 1000, 'en', 'open') RETURNING id`,
      [slug, 'Body of the petition. '.repeat(60)],
    );
    ids[key] = rows[0].id;
  }
  if (options.scenarios.has('late')) {
    await db.query(
      `INSERT INTO signatures (petition_id, person_id, status, given_name, country, language, public_name, consent_text_version,
                               handled_requests, mailed_at, created_at, confirmed_at)
       SELECT $1, id, 'confirmed', given_name, country, language, true, 'petition-2026-11', 1, now(), now() - interval '1 day', now()
       FROM (SELECT id, given_name, country, language FROM people ORDER BY email_normalized LIMIT $2) p`,
      [ids.late, options.lateSignatures],
    );
    await db.query(`INSERT INTO petition_counts (petition_id, confirmed_count) VALUES ($1, $2)`, [ids.late, options.lateSignatures]);
    step(`${options.lateSignatures.toLocaleString('en')} signatures on ${PETITIONS.late}`);
  }
  return ids;
}
