#!/usr/bin/env node
// The drift check: applies every migration to a scratch database, then asks TypeORM whether
// the entities would need another one. Exits non-zero when entities and migrations disagree.
const { execFileSync } = require('node:child_process');
const { withScratchDatabase } = require('./scratch-database');

withScratchDatabase('campaign_migration_check', (env) => {
  const cli = require.resolve('typeorm/cli.js');
  const run = (args) => execFileSync(process.execPath, [cli, ...args, '-d', 'dist/database/data-source.js'], { env, stdio: 'inherit' });
  run(['migration:run']);
  run(['migration:generate', 'migrations/Drift', '--check']);
  // down() must work too: revert everything, then apply again.
  const count = require('node:fs').readdirSync('migrations').filter((f) => f.endsWith('.ts')).length;
  for (let i = 0; i < count; i++) run(['migration:revert']);
  run(['migration:run']);
  console.log('migration check: entities and migrations agree; every down() reverts cleanly');
}).catch((err) => {
  console.error(`migration check failed: ${err.message}`);
  process.exit(1);
});
