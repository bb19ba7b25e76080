#!/usr/bin/env node
// One build, two outputs: src/ -> dist/ (main.js, worker.js, cli.js) and
// migrations/ -> dist/migrations/. dist/ is wiped first so no stale file survives.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (fs.readdirSync(path.join(root, 'migrations')).some((f) => f.endsWith('.ts'))) {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.migrations.json'], { cwd: root, stdio: 'inherit' });
}
// The public pages' static files (CSS, browser JS) are not TypeScript: copy them beside the
// compiled pages module (their JSON message catalogs are imported, so tsc emits those).
fs.cpSync(path.join(root, 'src/pages/assets'), path.join(root, 'dist/pages/assets'), { recursive: true });
