#!/usr/bin/env node
// @ts-check
// One build, two outputs: src/ -> dist/ (main.js, worker.js, cli.js) and
// migrations/ -> dist/migrations/. dist/ is wiped first so no stale file survives.
//
//   node scripts/build.js             the platform (what `npm run build` does)
//   node scripts/build.js --if-stale  the same, only when dist/ is missing or older than src/ or migrations/
//   node scripts/build.js --tools     also the bench, measure, screenshot and migration scripts
//                                     (scripts/*.ts, with the test/support pieces they reuse) into dist/tools/
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const flags = new Set(process.argv.slice(2));
const tsc = require.resolve('typescript/bin/tsc');

/** Newest modification time of any file under `dir`. */
function newest(dir) {
  let time = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(file) : fs.statSync(file).mtimeMs);
  }
  return time;
}

const built = path.join(root, 'dist', 'main.js');
const stale =
  !flags.has('--if-stale') ||
  !fs.existsSync(built) ||
  Math.max(newest(path.join(root, 'src')), newest(path.join(root, 'migrations'))) > fs.statSync(built).mtimeMs;

if (stale) {
  if (flags.has('--if-stale')) console.log('build: dist/ is missing or older than src/, building');
  fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (fs.readdirSync(path.join(root, 'migrations')).some((f) => f.endsWith('.ts'))) {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.migrations.json'], { cwd: root, stdio: 'inherit' });
  }
  // The public pages' static files (CSS, browser JS) are not TypeScript: copy them beside the
  // compiled pages module (their JSON message catalogs are imported, so tsc emits those).
  fs.cpSync(path.join(root, 'src/pages/assets'), path.join(root, 'dist/pages/assets'), { recursive: true });
}
if (flags.has('--tools')) {
  // The scripts load the platform from dist/ at run time and never compile src/ themselves.
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.scripts.json'], { cwd: root, stdio: 'inherit' });
}
