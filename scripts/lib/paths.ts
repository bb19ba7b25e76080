// Where the project is and how a script reaches the built platform. The scripts run from
// dist/tools/ (scripts/build.js --tools compiles them there), so paths are found from the
// project root, never from the script's own directory.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'campaign-platform') return dir;
    if (dirname(dir) === dir) throw new Error(`no campaign-platform package.json above ${from}`);
  }
}

/** The project root (where package.json is). */
export const ROOT = findRoot(__dirname);

/**
 * A module of the built platform (`dist/<path>`), loaded at run time: the scripts measure
 * and drive the build as it ships, and `T` names the few members a script uses.
 */
export function loadBuilt<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(join(ROOT, 'dist', path)) as T;
}
