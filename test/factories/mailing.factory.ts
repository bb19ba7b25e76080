import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

/** A list of its own for a test: private unless `isPublic` (only public lists can be named in a sign-up). */
export async function createList(
  db: DataSource,
  name = 'Test list',
  isPublic = false,
): Promise<{ id: string; slug: string; name: string }> {
  const slug = `list-${randomUUID().slice(0, 8)}`;
  const [row] = await db.query(`INSERT INTO lists (slug, name, is_public) VALUES ($1, $2, $3) RETURNING id, slug, name`, [
    slug,
    name,
    isPublic,
  ]);
  return row;
}

export interface SubscriberOptions {
  email?: string;
  givenName?: string | null;
  language?: string | null;
  country?: string | null;
  confirmed?: boolean;
  /** Lists and the subscription status on each (default subscribed). */
  lists: Array<{ id: string; status?: 'pending' | 'subscribed' | 'unsubscribed' }>;
}

/** A person as the join flow would have left them, written directly (tests need many). */
export async function createSubscriber(db: DataSource, o: SubscriberOptions): Promise<{ id: string; email: string }> {
  const email = o.email ?? `reader-${randomUUID().slice(0, 8)}@example.org`;
  const [person] = await db.query(
    `INSERT INTO people (email, email_normalized, given_name, language, country, confirmed_at)
     VALUES ($1, lower($1), $2, $3, $4, CASE WHEN $5::boolean THEN now() END) RETURNING id`,
    [email, o.givenName ?? null, o.language ?? null, o.country ?? null, o.confirmed ?? true],
  );
  for (const list of o.lists) {
    const status = list.status ?? 'subscribed';
    await db.query(
      `INSERT INTO subscriptions (person_id, list_id, status, subscribed_at, unsubscribed_at)
       VALUES ($1, $2, $3::varchar, CASE WHEN $3::varchar = 'subscribed' THEN now() END, CASE WHEN $3::varchar = 'unsubscribed' THEN now() END)`,
      [person.id, list.id, status],
    );
  }
  return { id: person.id, email };
}

/** Many confirmed subscribers of one list in one statement; their addresses are `${tag}-N@example.org`. */
export async function createManySubscribers(db: DataSource, listId: string, count: number, tag: string): Promise<void> {
  await db.query(
    `WITH p AS (
       INSERT INTO people (email, email_normalized, given_name, language, confirmed_at)
       SELECT $2 || '-' || i || '@example.org', $2 || '-' || i || '@example.org', 'Reader ' || i, 'en', now()
       FROM generate_series(1, $3) AS i
       RETURNING id
     )
     INSERT INTO subscriptions (person_id, list_id, status, subscribed_at) SELECT id, $1, 'subscribed', now() FROM p`,
    [listId, tag, count],
  );
}

export function mailingPayload(listSlugs: string[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'November update',
    audience: { lists: listSlugs },
    content: {
      en: {
        subject: 'News for {{givenName}}',
        html: '<p>Hello {{givenName}},</p><p>Our <a href="https://movement.test/news">news</a>.</p>',
      },
    },
    defaultLanguage: 'en',
    ...overrides,
  };
}
