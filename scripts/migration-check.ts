// The drift check: applies every migration to a scratch database, then asks TypeORM whether
// the entities would need another one. Exits non-zero when entities and migrations disagree,
// or when a down() fails to revert.   npm run migration:check
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/paths';
import { withScratchDatabase } from './scratch-database';

withScratchDatabase('campaign_migration_check', (env) => {
  const cli = require.resolve('typeorm/cli.js');
  // TypeORM's CLI prints every query; keep it quiet unless a step fails.
  const run = (args: string[]): void => {
    try {
      execFileSync(process.execPath, [cli, ...args, '-d', 'dist/database/data-source.js'], { cwd: ROOT, env, stdio: 'pipe' });
    } catch (err) {
      const { stdout, stderr } = err as { stdout?: Buffer; stderr?: Buffer };
      process.stderr.write(`${stdout?.toString() ?? ''}${stderr?.toString() ?? ''}`);
      throw new Error(`typeorm ${args[0]} failed`, { cause: err });
    }
  };
  run(['migration:run']);
  run(['migration:generate', 'migrations/Drift', '--check']);
  const count = readdirSync(join(ROOT, 'migrations')).filter((f) => f.endsWith('.ts')).length;
  for (let i = 0; i < count; i++) run(['migration:revert']);
  run(['migration:run']);
  console.log(`migration check: ${count} migrations agree with the entities; every down() reverts cleanly`);
}).catch((err: Error) => {
  console.error(`migration check failed: ${err.message}`);
  process.exit(1);
});
