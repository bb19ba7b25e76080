// HTTP load with autocannon, the same settings for the platform and for its baselines, and
// the loss check that follows a load of public POSTs.
import autocannon from 'autocannon';
import type { Client } from 'pg';

export interface GetResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/**
 * GETs `url` for `seconds` with `connections`. autocannon counts only the requests answered
 * inside the window, so rps is 2xx per second.
 */
export async function getLoad(url: string, { seconds, connections }: { seconds: number; connections: number }): Promise<GetResult> {
  const r = await autocannon({ url, connections, duration: seconds });
  return { rps: r['2xx'] / seconds, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

export interface PostResult extends GetResult {
  accepted: number;
  sent: number;
}

/**
 * POSTs a distinct JSON body per request (`bodyOf(n)`, n counting from 0) for `seconds`, or
 * until `amount` requests were made; `rate` (requests/s across all connections) turns full
 * speed into a fixed pace.
 */
export async function postDistinct(
  url: string,
  bodyOf: (n: number) => unknown,
  { seconds, connections, rate, amount }: { seconds?: number; connections: number; rate?: number; amount?: number },
): Promise<PostResult> {
  let n = 0;
  const started = Date.now();
  const r = await autocannon({
    url,
    connections,
    ...(amount ? { amount } : { duration: seconds }),
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(bodyOf(n++)) }),
      },
    ],
  });
  const elapsed = seconds ?? (Date.now() - started) / 1000;
  return {
    accepted: r['2xx'],
    sent: n,
    rps: r['2xx'] / elapsed,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/** A petition signature from a distinct address `${prefix}${n}@bench.test`. */
export const signatureBody =
  (prefix: string) =>
  (n: number): Record<string, unknown> => ({
    email: `${prefix}${n}@bench.test`,
    givenName: 'Nour',
    familyName: 'Haddad',
    country: 'LB',
    language: 'ar',
    comment: 'حرية',
    publicName: true,
    referrer: { source: 'bench' },
  });

export interface Stored {
  stored: number;
  intents: number;
}

/**
 * The 0-lost check for signatures of one petition whose address starts with `prefix`:
 * rows stored and outbox intents (the confirmation job waiting for the relay) for them.
 */
export async function storedSignatures(db: Client, petitionId: string, prefix: string): Promise<Stored> {
  const { rows } = await db.query<Stored>(
    `SELECT count(*)::int AS stored,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.payload->>'signatureId' = s.id::text))::int AS intents
     FROM signatures s JOIN people p ON p.id = s.person_id
     WHERE s.petition_id = $1 AND p.email_normalized LIKE $2`,
    [petitionId, `${prefix}%`],
  );
  return rows[0];
}

/** Lost = accepted requests with no stored record or no intent (a request answered after the window ends is stored, not counted). */
export const lost = (accepted: number, { stored, intents }: Stored): number => Math.max(0, accepted - Math.min(stored, intents));

export const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};
