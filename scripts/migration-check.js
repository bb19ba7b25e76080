#!/usr/bin/env node
// The drift check: applies every migration to a scratch database, then asks TypeORM whether
// the entities would need another one. Exits non-zero when entities and migrations disagree,
// or when a down() fails to revert.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const { withScratchDatabase } = require('./scratch-database');

withScratchDatabase('campaign_migration_check', (env) => {
  const cli = require.resolve('typeorm/cli.js');
  // TypeORM's CLI prints every query; keep it quiet unless a step fails.
  const run = (args) => {
    try {
      execFileSync(process.execPath, [cli, ...args, '-d', 'dist/database/data-source.js'], { env, stdio: 'pipe' });
    } catch (err) {
      process.stderr.write(`${err.stdout || ''}${err.stderr || ''}`);
      throw new Error(`typeorm ${args[0]} failed`);
    }
  };
  run(['migration:run']);
  run(['migration:generate', 'migrations/Drift', '--check']);
  const count = fs.readdirSync('migrations').filter((f) => f.endsWith('.ts')).length;
  for (let i = 0; i < count; i++) run(['migration:revert']);
  run(['migration:run']);
  console.log(`migration check: ${count} migrations agree with the entities; every down() reverts cleanly`);
}).catch((err) => {
  console.error(`migration check failed: ${err.message}`);
  process.exit(1);
});
