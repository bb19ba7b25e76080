// Start-up shared by the scripts/measure-*.js runs: an SMTP server in this process that
// accepts everything, the environment of a production-like platform, the built API and
// worker processes on a scratch database, and their shutdown.
const { spawn, execFileSync } = require('node:child_process');
const { SMTPServer } = require('smtp-server');

const MEASURE_SECRET = 'measure-secret-0123456789abcdef0123456789';

/** A port for the API away from the usual ones, so a run does not collide with a dev server. */
const randomPort = () => 3000 + Math.floor(Math.random() * 2000) + 2000;

/** Listens on 127.0.0.1; `onRecipients(addresses)` is called as each message is accepted. */
async function startSmtpSink(onRecipients) {
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      stream.resume();
      stream.on('end', () => {
        onRecipients(session.envelope.rcptTo.map((r) => r.address));
        cb();
      });
    },
  });
  await new Promise((r) => smtp.listen(0, '127.0.0.1', r));
  return { port: smtp.server.address().port, close: () => smtp.close() };
}

/** Adds what every measured platform needs to a scratch database's env; `extra` wins. */
function platformEnv(env, { port, smtpPort, ...extra }) {
  return Object.assign(env, {
    PORT: String(port),
    REDIS_URL: 'redis://127.0.0.1:6379/6',
    QUEUE_PREFIX: `measure-${Date.now()}`,
    ...(smtpPort ? { SMTP_URL: `smtp://127.0.0.1:${smtpPort}?tls=off` } : {}),
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    NODE_ENV: 'production',
    APP_SECRET: MEASURE_SECRET,
    ...extra,
  });
}

function migrate(env) {
  execFileSync(process.execPath, [require.resolve('typeorm/cli.js'), 'migration:run', '-d', 'dist/database/data-source.js'], {
    env,
    stdio: 'ignore',
  });
}

/** Creates an organizer with the CLI and returns its API key (the CLI's last line). */
function createOrganizer(env, email, role) {
  return execFileSync(process.execPath, ['dist/cli.js', 'organizer:create', '--email', email, '--role', role], { env })
    .toString()
    .trim()
    .split('\n')
    .pop();
}

/** The built API and `workers` worker processes; `workerNodeArgs` (e.g. `--cpu-prof`) go to each worker's node. */
function startPlatform(env, { workers = 1, workerNodeArgs = [] } = {}) {
  const start = (file, args = []) => spawn(process.execPath, [...args, file], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return { api: start('dist/main.js'), workers: Array.from({ length: workers }, () => start('dist/worker.js', workerNodeArgs)) };
}

/**
 * Polls `url` until it answers 2xx; throws after `timeoutMs` (a loaded machine may take
 * half a minute to start the API, and a scenario against a process that is not up only
 * fails later with a less helpful error).
 */
async function waitUntilUp(url, intervalMs = 200, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

/** SIGTERM to each process, then waits until all have exited. */
async function stopAll(processes) {
  for (const p of processes) p.kill('SIGTERM');
  await Promise.all(processes.map((p) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r() : p.on('exit', r)))));
}

module.exports = { randomPort, startSmtpSink, platformEnv, migrate, createOrganizer, startPlatform, waitUntilUp, stopAll };
