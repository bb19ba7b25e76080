#!/usr/bin/env node
// @ts-check
// One build, two outputs: src/ -> dist/ (main.js, worker.js, cli.js) and
// migrations/ -> dist/migrations/.
//
//   node scripts/build.js             the platform (what `npm run build` does)
//   node scripts/build.js --if-stale  the same, only when dist/ is missing or older than src/ or migrations/
//   node scripts/build.js --tools     also the bench, measure, screenshot and migration scripts
//                                     (scripts/*.ts, with the test/support pieces they reuse) into dist/tools/
//
// The build reads nest-cli.json as `nest build` does (sourceRoot, compilerOptions.tsConfigPath,
// deleteOutDir, assets), so the file says what the build really does; @nestjs/cli itself is
// not a dependency (its schematics and prompts are heavy, and tsc is all it would run here).
// What the Nest CLI would not do: compile migrations/, which `npm run migration:run` loads
// from dist/migrations/, and the scripts (--tools).
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const flags = new Set(process.argv.slice(2));
const tsc = require.resolve('typescript/bin/tsc');

const nest = JSON.parse(fs.readFileSync(path.join(root, 'nest-cli.json'), 'utf8'));
const options = nest.compilerOptions ?? {};
const sourceRoot = nest.sourceRoot ?? 'src';
const tsConfigPath = options.tsConfigPath ?? 'tsconfig.build.json';
const outDir = JSON.parse(fs.readFileSync(path.join(root, tsConfigPath), 'utf8')).compilerOptions?.outDir ?? 'dist';
if (options.builder !== undefined && options.builder !== 'tsc')
  throw new Error(`nest-cli.json: only the tsc builder is supported, not ${options.builder}`);

/** Newest modification time of any file under `dir`. */
function newest(dir) {
  let time = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(file) : fs.statSync(file).mtimeMs);
  }
  return time;
}

// Written last, after every step succeeded: a build that failed half-way (tsc still emits
// main.js on a type error, before the migrations are compiled) is never taken as fresh.
const stamp = path.join(root, outDir, '.build-complete');
const stale =
  !flags.has('--if-stale') ||
  !fs.existsSync(stamp) ||
  Math.max(newest(path.join(root, sourceRoot)), newest(path.join(root, 'migrations'))) > fs.statSync(stamp).mtimeMs;

if (stale) {
  if (flags.has('--if-stale')) console.log('build: dist/ is missing or older than src/, building');
  // dist/ is wiped first so no stale file survives.
  if (options.deleteOutDir) fs.rmSync(path.join(root, outDir), { recursive: true, force: true });
  execFileSync(process.execPath, [tsc, '-p', tsConfigPath], { cwd: root, stdio: 'inherit' });
  if (fs.readdirSync(path.join(root, 'migrations')).some((f) => f.endsWith('.ts'))) {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.migrations.json'], { cwd: root, stdio: 'inherit' });
  }
  // Assets as the Nest CLI copies them: paths relative to sourceRoot, kept under outDir. The
  // public pages' static files (CSS, browser JS) are not TypeScript; their JSON message
  // catalogs are imported, so tsc emits those. Only `dir/**/*` patterns are needed and taken.
  for (const asset of options.assets ?? []) {
    const { include, outDir: assetOutDir = outDir } = typeof asset === 'string' ? { include: asset } : asset;
    const match = /^(.+)\/\*\*\/\*$/.exec(include);
    if (!match || asset.exclude)
      throw new Error(`nest-cli.json: asset pattern not supported by scripts/build.js: ${JSON.stringify(asset)}`);
    fs.cpSync(path.join(root, sourceRoot, match[1]), path.join(root, assetOutDir, match[1]), { recursive: true });
  }
  fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
}
if (flags.has('--tools')) {
  // The scripts load the platform from dist/ at run time and never compile src/ themselves.
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.scripts.json'], { cwd: root, stdio: 'inherit' });
}
