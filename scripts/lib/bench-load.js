// HTTP load with autocannon, the same settings for the platform and for its baselines, and
// the loss check that follows a load of public POSTs.
const autocannon = require('autocannon');

/**
 * GETs `url` for `seconds` with `connections`. Returns { rps, p50, p99, non2xx, errors }.
 * autocannon counts only the requests answered inside the window, so rps is 2xx per second.
 */
async function getLoad(url, { seconds, connections }) {
  const r = await autocannon({ url, connections, duration: seconds });
  return { rps: r['2xx'] / seconds, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
}

/**
 * POSTs a distinct JSON body per request (`bodyOf(n)`, n counting from 0) for `seconds`;
 * `rate` (requests/s across all connections) turns full speed into a fixed pace.
 * Returns { accepted (2xx), sent, rps, p50, p99, non2xx, errors }.
 */
async function postDistinct(url, bodyOf, { seconds, connections, rate }) {
  let n = 0;
  const r = await autocannon({
    url,
    connections,
    duration: seconds,
    ...(rate ? { overallRate: rate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify(bodyOf(n++)) }),
      },
    ],
  });
  return {
    accepted: r['2xx'],
    sent: n,
    rps: r['2xx'] / seconds,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/** A petition signature from a distinct address `${prefix}${n}@bench.test`. */
const signatureBody = (prefix) => (n) => ({
  email: `${prefix}${n}@bench.test`,
  givenName: 'Nour',
  familyName: 'Haddad',
  country: 'LB',
  language: 'ar',
  comment: 'حرية',
  publicName: true,
  referrer: { source: 'bench' },
});

/**
 * The 0-lost check for signatures of one petition whose address starts with `prefix`:
 * rows stored and outbox intents (the confirmation job waiting for the relay) for them.
 */
async function storedSignatures(db, petitionId, prefix) {
  const { rows } = await db.query(
    `SELECT count(*)::int AS stored,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM outbox o WHERE o.payload->>'signatureId' = s.id::text))::int AS intents
     FROM signatures s JOIN people p ON p.id = s.person_id
     WHERE s.petition_id = $1 AND p.email_normalized LIKE $2`,
    [petitionId, `${prefix}%`],
  );
  return rows[0];
}

/** Lost = accepted requests with no stored record or no intent (a request answered after the window ends is stored, not counted). */
const lost = (accepted, { stored, intents }) => Math.max(0, accepted - Math.min(stored, intents));

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN;
};

module.exports = { getLoad, postDistinct, signatureBody, storedSignatures, lost, percentile };
