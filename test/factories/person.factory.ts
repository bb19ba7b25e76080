import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { uniqueEmail } from './signup.factory';

export interface PersonSeed {
  email?: string;
  givenName?: string | null;
  familyName?: string | null;
  country?: string | null;
  postalCode?: string | null;
  language?: string | null;
  confirmed?: boolean;
  /** List slugs the person is subscribed to (status subscribed). */
  lists?: string[];
  tags?: string[];
  createdAt?: Date;
}

/** A list of its own for one test (unique slug). */
export async function createList(db: DataSource, prefix = 'list'): Promise<{ id: string; slug: string }> {
  const slug = `${prefix}-${randomUUID().slice(0, 8)}`;
  const [row] = await db.query(`INSERT INTO lists (slug, name) VALUES ($1, $2) RETURNING id, slug`, [slug, `List ${slug}`]);
  return row;
}

/** A person written straight to the tables, as the join flow would have left them. */
export async function createPerson(db: DataSource, seed: PersonSeed = {}): Promise<{ id: string; email: string }> {
  const email = seed.email ?? uniqueEmail('person');
  const [row] = await db.query(
    `INSERT INTO people (email, email_normalized, given_name, family_name, country, postal_code, language, confirmed_at, created_at)
     VALUES ($1, lower($1), $2, $3, $4, $5, $6, CASE WHEN $7 THEN now() END, coalesce($8, now())) RETURNING id, email`,
    [
      email,
      seed.givenName === undefined ? 'Sam' : seed.givenName,
      seed.familyName === undefined ? 'Rivera' : seed.familyName,
      seed.country === undefined ? 'FR' : seed.country,
      seed.postalCode ?? null,
      seed.language === undefined ? 'en' : seed.language,
      seed.confirmed ?? true,
      seed.createdAt ?? null,
    ],
  );
  for (const slug of seed.lists ?? []) {
    await db.query(
      `INSERT INTO subscriptions (person_id, list_id, status, subscribed_at) SELECT $1, id, 'subscribed', now() FROM lists WHERE slug = $2`,
      [row.id, slug],
    );
  }
  for (const tag of seed.tags ?? []) await db.query(`INSERT INTO person_tags (person_id, tag) VALUES ($1, $2)`, [row.id, tag]);
  return row;
}
