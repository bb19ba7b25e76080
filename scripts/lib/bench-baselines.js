// Runs the machine's own ceilings (the baseline scripts of ../shared/bench, or their vendored
// copies) and parses the one figure each prints. Every script runs from the project root, as
// its README asks, and asynchronously so that Ctrl-C still reaches the bench's cleanup.
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { ROOT } = require('./bench-setup');

function capture(cmd, args, env, cleanup) {
  return new Promise((resolve, reject) => {
    const child = cleanup.track(spawn(cmd, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args[0] ?? cmd} exited ${code}: ${err.trim()}`))));
  });
}

const figure = (out, name) => {
  const m = new RegExp(`${name} ([\\d.]+)`).exec(out);
  if (!m) throw new Error(`no ${name} in: ${out.trim()}`);
  return Number(m[1]);
};

function createBaselines({ dir }, cleanup) {
  return {
    /** R_pg_sign_tps: pgbench, one signature per transaction (it makes and drops its own database). */
    async pgSign(seconds, clients, databaseUrl) {
      const out = await capture(
        'bash',
        [join(dir, 'pg-sign.sh'), String(seconds), String(clients)],
        { ...process.env, DATABASE_URL: databaseUrl },
        cleanup,
      );
      return figure(out, 'R_pg_sign_tps');
    },
    /** R_copy: COPY (query) TO STDOUT as CSV into /dev/null. */
    async copyRaw(query, databaseUrl) {
      const out = await capture('bash', [join(dir, 'copy-raw.sh'), query], { ...process.env, DATABASE_URL: databaseUrl }, cleanup);
      return { rowsPerS: figure(out, 'R_copy_rows_per_s'), mbPerS: figure(out, 'R_copy_mb_per_s') };
    },
    /** R_http: the bare Fastify route, listening on `port` until cleanup or stop(). */
    async httpRaw(port) {
      const child = cleanup.track(spawn(process.execPath, [join(dir, 'http-raw.mjs'), String(port)], { cwd: ROOT, stdio: 'ignore' }));
      return { url: `http://127.0.0.1:${port}/`, stop: () => child.kill('SIGTERM') };
    },
  };
}

/** The bare Nest hello app (bench/bare-nest/main.js PORT, GET /hello), or null while it is not in the tree. */
function bareNestEntry() {
  const entry = join(ROOT, 'bench', 'bare-nest', 'main.js');
  return existsSync(entry) ? entry : null;
}

module.exports = { createBaselines, bareNestEntry };
