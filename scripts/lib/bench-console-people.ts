// The bench's console people scenario (issue 14): the console's people search and a
// person's page with a million people, p50 and p99, as an organizer signed in through the
// console's own endpoints (invitation → password + TOTP → POST /console/sign-in). The
// people table is topped up to `--console-people N` (default 1,000,000) with one SQL
// generate_series, so it costs seconds, not the COPY seed's minutes. Sequential requests:
// the figure is one organizer's wait, not throughput.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { BenchContext } from './bench-context';
import { loadBuilt, ROOT } from './paths';

const DEFAULT_SIZE = 1_000_000;
const REQUESTS = 200;
const P99_TARGET_MS = 200;

/** Takes `--console-people N` out of the bench's arguments (the other options are bench-setup's). */
export function takeConsolePeopleOption(argv: string[]): { argv: string[]; consolePeople: number } {
  const i = argv.indexOf('--console-people');
  if (i === -1) return { argv, consolePeople: DEFAULT_SIZE };
  const n = Number((argv[i + 1] ?? '').replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new Error('--console-people takes a whole number (0: skip the scenario)');
  return { argv: [...argv.slice(0, i), ...argv.slice(i + 2)], consolePeople: n };
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  ms: number;
}

function call(
  base: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const req = http.request(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Number(process.hrtime.bigint() - started) / 1e6,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const form = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
const hidden = (page: string, name: string): string => {
  const m = new RegExp(`name="${name}" value="([^"]+)"`).exec(page);
  if (!m) throw new Error(`no ${name} in the page`);
  return m[1];
};

/** An organizer signed in to the console: its session cookie. */
async function consoleSession(ctx: BenchContext): Promise<string> {
  const email = `console-bench-${process.pid}@bench.test`;
  const out = execFileSync(process.execPath, ['dist/cli.js', 'organizer:invite', '--email', email, '--role', 'organizer'], {
    cwd: ROOT,
    env: ctx.env,
  });
  const invitation = new URL(out.toString().trim().split('\n').pop() as string);
  const origin = new URL(ctx.env.PUBLIC_URL as string).origin;
  const { totpCode } = loadBuilt<{ totpCode: (secret: string, at?: number) => string }>('console-auth/second-factor');
  const page = await call(ctx.base, invitation.pathname);
  if (page.status !== 200) throw new Error(`invitation page answered ${page.status}`);
  const totpSecret = hidden(page.body, 'totpSecret');
  const password = `bench-${process.pid}-password-long-enough`;
  const headers = { origin, 'content-type': 'application/x-www-form-urlencoded' };
  const step = Math.floor(Date.now() / 30_000);
  const enrolled = await call(ctx.base, `${invitation.pathname}/password`, {
    method: 'POST',
    headers,
    body: form({ password, totpSecret, totpMac: hidden(page.body, 'totpMac'), code: totpCode(totpSecret, (step - 1) * 30_000 + 1_000) }),
  });
  if (enrolled.status !== 200) throw new Error(`enrollment answered ${enrolled.status}`);
  const signedIn = await call(ctx.base, '/console/sign-in', {
    method: 'POST',
    headers,
    body: form({ email, password, code: totpCode(totpSecret, step * 30_000 + 1_000) }),
  });
  const cookie = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []).find((c) => /console_session=/.test(c));
  if (signedIn.status !== 303 || !cookie) throw new Error(`console sign-in answered ${signedIn.status}`);
  return cookie.split(';')[0];
}

/** Tops the people table up to `size` with generate_series: names, countries, languages and confirmation varied. */
async function topUp(ctx: BenchContext, size: number): Promise<number> {
  const { rows } = await ctx.db.query<{ n: string }>(`SELECT count(*) AS n FROM people`);
  const have = Number(rows[0].n);
  if (have < size) {
    await ctx.db.query(
      `INSERT INTO people (email, email_normalized, given_name, family_name, country, language, confirmed_at, created_at)
       SELECT 'cp' || g || '@console.bench.test', 'cp' || g || '@console.bench.test',
              (ARRAY['Amal','Omid','Claire','Sara','Yusuf','Leila','Marc','Nadia','أمل','امید'])[1 + g % 10] || (g % 997),
              (ARRAY['Haddad','Karimi','Dubois','Rahimi','Mansour','Laurent','حداد'])[1 + g % 7],
              (ARRAY['LB','IR','FR','EG','DE','CA','MA','TN','SY','JO','BR','IN'])[1 + (g * 7) % 12],
              (ARRAY['ar','fa','fr','en','ar-EG'])[1 + (g * 3) % 5],
              CASE WHEN g % 3 = 0 THEN NULL ELSE now() - make_interval(secs => g) END,
              now() - make_interval(secs => $2 - g)
       FROM generate_series($1::int + 1, $2::int) g`,
      [have, size],
    );
  }
  // About 1 % of people carry a tag, whoever seeded them.
  await ctx.db.query(
    `INSERT INTO person_tags (person_id, tag) SELECT id, 'volunteer' FROM people TABLESAMPLE SYSTEM (1) ON CONFLICT DO NOTHING`,
  );
  await ctx.db.query('ANALYZE people; ANALYZE person_tags');
  return Math.max(have, size);
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

export async function consolePeopleScenario(ctx: BenchContext, size: number): Promise<void> {
  const people = await topUp(ctx, size);
  const cookie = await consoleSession(ctx);
  const get = async (path: string): Promise<number> => {
    const res = await call(ctx.base, path, { headers: { cookie } });
    if (res.status !== 200) throw new Error(`${path.split('?')[0]} answered ${res.status}`);
    return res.ms;
  };
  // What organizers type: nothing, a name's start, a country and confirmed or not, a tag, a language; page 2 by its cursor.
  const searches = ['', 'name=ami', 'name=Leila1', 'country=LB&confirmed=false', 'tag=volunteer', 'language=fa', 'name=zzz'];
  const first = await call(ctx.base, '/console/people?country=IR', { headers: { cookie } });
  const next = /href="(\/console\/people\?[^"]*cursor=[^"]+)"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
  if (next) searches.push(next.replace('/console/people?', ''));
  const searchMs: number[] = [];
  for (let i = 0; i < REQUESTS; i++) searchMs.push(await get(`/console/people?${searches[i % searches.length]}`));
  const { rows } = await ctx.db.query<{ id: string }>(`SELECT id FROM people TABLESAMPLE SYSTEM (1) LIMIT $1`, [REQUESTS]);
  const pageMs: number[] = [];
  for (const { id } of rows) pageMs.push(await get(`/console/people/${id}`));

  for (const [figure, samples] of [
    ['people search', searchMs],
    ['person page', pageMs],
  ] as const) {
    const sorted = [...samples].sort((a, b) => a - b);
    const note = `${people.toLocaleString('en')} people, ${samples.length} sequential requests, signed-in organizer`;
    ctx.report({ scenario: 'console', figure: `${figure} p50`, value: percentile(sorted, 50), unit: 'ms', note });
    ctx.report({
      scenario: 'console',
      figure: `${figure} p99`,
      value: percentile(sorted, 99),
      unit: 'ms',
      target: `≤ ${P99_TARGET_MS} ms`,
      met: percentile(sorted, 99) <= P99_TARGET_MS,
      note,
    });
  }
  ctx.details.consolePeople = { people, searches, searchMs, pageMs };
}
