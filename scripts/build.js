#!/usr/bin/env node
// One build, two outputs: src/ -> dist/ (main.js, worker.js, cli.js) and
// migrations/ -> dist/migrations/.
//
// The build reads nest-cli.json as `nest build` does (sourceRoot, compilerOptions.tsConfigPath,
// deleteOutDir, assets), so the file says what the build really does; @nestjs/cli itself is
// not a dependency (its schematics and prompts are heavy, and tsc is all it would run here).
// What the Nest CLI would not do: compile migrations/, which `npm run migration:run` loads
// from dist/migrations/.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const nest = JSON.parse(fs.readFileSync(path.join(root, 'nest-cli.json'), 'utf8'));
const options = nest.compilerOptions ?? {};
const sourceRoot = nest.sourceRoot ?? 'src';
const tsConfigPath = options.tsConfigPath ?? 'tsconfig.build.json';
const outDir = JSON.parse(fs.readFileSync(path.join(root, tsConfigPath), 'utf8')).compilerOptions?.outDir ?? 'dist';
if (options.builder !== undefined && options.builder !== 'tsc')
  throw new Error(`nest-cli.json: only the tsc builder is supported, not ${options.builder}`);

// dist/ is wiped first so no stale file survives.
if (options.deleteOutDir) fs.rmSync(path.join(root, outDir), { recursive: true, force: true });
const tsc = require.resolve('typescript/bin/tsc');
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
  if (!match || asset.exclude) throw new Error(`nest-cli.json: asset pattern not supported by scripts/build.js: ${JSON.stringify(asset)}`);
  fs.cpSync(path.join(root, sourceRoot, match[1]), path.join(root, assetOutDir, match[1]), { recursive: true });
}
