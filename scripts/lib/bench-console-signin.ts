// `npm run bench -- --console-signin`: does a flood of failed console sign-ins slow the
// public routes? Public page GETs are measured without and during a flood of wrong-password
// POSTs to /console/sign-in, twice: on the bench's API at the default limits (one client
// address: the per-address throttle answers 429 before any password is hashed), and on an
// API of its own with the limits lifted, as a flood from thousands of addresses would meet
// it (every attempt pays its scrypt hash, 32 MiB and tens of ms, on libuv's thread pool).
import { spawn } from 'node:child_process';
import autocannon from 'autocannon';
import type { BenchContext } from './bench-context';
import { getLoad, GetResult } from './bench-load';
import { freePort, waitUntilUp } from './measure-platform';
import { ROOT } from './paths';

/** During a flood the throttled API keeps this share of its public GET rate, or better. */
const THROTTLED_TARGET = 0.8;
const FLOOD_CONNECTIONS = 16;

interface FloodResult {
  attempts: number;
  perSecond: number;
  statuses: Record<string, number>;
}

/** Wrong-password sign-ins, each for another address (half of them unknown ones), for `seconds`. */
async function signInFlood(url: string, seconds: number): Promise<FloodResult> {
  let n = 0;
  const statuses: Record<string, number> = {};
  const r = await autocannon({
    url,
    connections: FLOOD_CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        setupRequest: (req) => ({
          ...req,
          body: `email=flood-${n++ % 1000}%40bench.test&password=not-the-password-${n}&code=123456`,
        }),
        onResponse: (status: number) => {
          statuses[status] = (statuses[status] ?? 0) + 1;
        },
      },
    ],
  });
  const attempts = r.requests.total;
  return { attempts, perSecond: attempts / seconds, statuses };
}

async function measure(ctx: BenchContext, base: string, label: string, target: number | null): Promise<void> {
  const page = `${base}/p/${ctx.slugs.sign}`;
  const load = { seconds: ctx.options.shortSeconds, connections: ctx.options.readConnections };
  const quiet: GetResult = await getLoad(page, load);
  const [during, flood] = await Promise.all([getLoad(page, load), signInFlood(`${base}/console/sign-in`, ctx.options.shortSeconds)]);
  const statuses = Object.entries(flood.statuses)
    .map(([s, c]) => `${c} × ${s}`)
    .join(', ');
  ctx.details[`console-signin ${label}`] = { quiet, during, flood };
  ctx.report({
    scenario: 'console-signin',
    figure: `GET /p/{slug} during a sign-in flood, ${label}, req/s`,
    value: during.rps,
    unit: 'req/s',
    baseline: { name: 'same GET without the flood', value: quiet.rps },
    target: target === null ? null : `≥ ${target} × without`,
    met: target === null ? null : during.rps >= target * quiet.rps && during.non2xx === 0,
    note: `flood ${flood.perSecond.toFixed(0)} sign-ins/s (${statuses}); p99 ${quiet.p99} → ${during.p99} ms`,
  });
}

export async function consoleSigninScenario(ctx: BenchContext): Promise<void> {
  await measure(ctx, ctx.base, 'default limits (one address)', THROTTLED_TARGET);

  const port = await freePort();
  const env = { ...ctx.env, PORT: String(port), CONSOLE_SIGNIN_PER_ADDRESS: '1000000000', CONSOLE_SIGNIN_PER_ACCOUNT: '1000000000' };
  const api = ctx.cleanup.track(spawn(process.execPath, ['dist/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'inherit'] }));
  try {
    await waitUntilUp(`http://127.0.0.1:${port}/health/ready`);
    await measure(ctx, `http://127.0.0.1:${port}`, 'limits lifted (a many-address flood)', null);
  } finally {
    api.kill('SIGTERM');
  }
}
