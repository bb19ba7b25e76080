// Generates a migration from the difference between the entities and a scratch database
// holding every existing migration: `npm run migration:generate -- AddThing`.
import { execFileSync } from 'node:child_process';
import { ROOT } from './lib/paths';
import { withScratchDatabase } from './scratch-database';

const name = process.argv[2];
if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
  console.error('usage: npm run migration:generate -- VerbNoun   (PascalCase, e.g. AddPetitions)');
  process.exit(2);
}
withScratchDatabase('campaign_migration_gen', (env) => {
  const cli = require.resolve('typeorm/cli.js');
  execFileSync(process.execPath, [cli, 'migration:run', '-d', 'dist/database/data-source.js'], { cwd: ROOT, env, stdio: 'inherit' });
  execFileSync(process.execPath, [cli, 'migration:generate', `migrations/${name}`, '-d', 'dist/database/data-source.js', '-p'], {
    cwd: ROOT,
    env,
    stdio: 'inherit',
  });
}).catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
