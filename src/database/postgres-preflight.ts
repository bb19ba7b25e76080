import { Client } from 'pg';

/**
 * Waits for PostgreSQL before Nest starts (a container may start before its database):
 * without it TypeORM retries, logs a stack trace per attempt and gives up with another.
 * Returns null when PostgreSQL answers, else one line saying why it did not.
 */
export async function waitForPostgres(url: string, timeoutMs: number): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: string;
    const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return null;
    } catch (err) {
      last = (err as Error).message || (err as { code?: string }).code || 'no answer';
    } finally {
      await client.end().catch(() => undefined);
    }
    if (Date.now() >= deadline) return `PostgreSQL at DATABASE_URL is not reachable (${last})`;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}
