import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './support/processes';

/**
 * `npm run build` goes through nest-cli.json (issue 19, finding 10): scripts/build.js is run
 * on a scratch project whose nest-cli.json names its own source root, tsconfig and assets,
 * and the output follows the file. The real dist/ (built by `npm test`) holds what the
 * project's nest-cli.json names.
 */
describe('the build', () => {
  it('reads sourceRoot, tsConfigPath, deleteOutDir and assets from nest-cli.json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'build-'));
    try {
      mkdirSync(join(dir, 'scripts'));
      cpSync(join(ROOT, 'scripts', 'build.js'), join(dir, 'scripts', 'build.js'));
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      mkdirSync(join(dir, 'migrations'));
      mkdirSync(join(dir, 'app', 'web', 'static', 'img'), { recursive: true });
      writeFileSync(join(dir, 'app', 'main.ts'), 'export const answer: number = 42;\n');
      writeFileSync(join(dir, 'app', 'web', 'static', 'site.css'), 'body{}\n');
      writeFileSync(join(dir, 'app', 'web', 'static', 'img', 'logo.svg'), '<svg/>\n');
      writeFileSync(
        join(dir, 'tsconfig.app.json'),
        JSON.stringify({ compilerOptions: { rootDir: 'app', outDir: 'out', module: 'commonjs', types: [] }, include: ['app'] }),
      );
      writeFileSync(
        join(dir, 'nest-cli.json'),
        JSON.stringify({
          sourceRoot: 'app',
          compilerOptions: {
            builder: 'tsc',
            tsConfigPath: 'tsconfig.app.json',
            deleteOutDir: true,
            assets: [{ include: 'web/static/**/*', outDir: 'out' }],
          },
        }),
      );
      mkdirSync(join(dir, 'out'));
      writeFileSync(join(dir, 'out', 'stale.js'), '');

      execFileSync(process.execPath, [join(dir, 'scripts', 'build.js')], { cwd: dir, stdio: 'pipe' });

      expect(readFileSync(join(dir, 'out', 'main.js'), 'utf8')).toContain('42');
      expect(readFileSync(join(dir, 'out', 'web', 'static', 'site.css'), 'utf8')).toBe('body{}\n');
      expect(existsSync(join(dir, 'out', 'web', 'static', 'img', 'logo.svg'))).toBe(true);
      expect(existsSync(join(dir, 'out', 'stale.js'))).toBe(false);
      expect(existsSync(join(dir, 'dist'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('never takes a build that failed half-way as fresh (--if-stale builds again)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'build-'));
    try {
      mkdirSync(join(dir, 'scripts'));
      cpSync(join(ROOT, 'scripts', 'build.js'), join(dir, 'scripts', 'build.js'));
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
      mkdirSync(join(dir, 'migrations'));
      mkdirSync(join(dir, 'src'));
      // tsc emits main.js despite the type error, then fails: what a missing package does.
      writeFileSync(join(dir, 'src', 'main.ts'), 'export const answer: number = "forty-two";\n');
      writeFileSync(
        join(dir, 'tsconfig.build.json'),
        JSON.stringify({ compilerOptions: { rootDir: 'src', outDir: 'dist', module: 'commonjs', types: [] }, include: ['src'] }),
      );
      writeFileSync(join(dir, 'nest-cli.json'), JSON.stringify({ sourceRoot: 'src', compilerOptions: { builder: 'tsc' } }));
      const build = (...args: string[]): string =>
        execFileSync(process.execPath, [join(dir, 'scripts', 'build.js'), ...args], { cwd: dir, stdio: 'pipe' }).toString();

      expect(() => build()).toThrow();
      expect(existsSync(join(dir, 'dist', 'main.js'))).toBe(true);
      expect(() => build('--if-stale')).toThrow();

      writeFileSync(join(dir, 'src', 'main.ts'), 'export const answer: number = 42;\n');
      build('--if-stale');
      expect(build('--if-stale')).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("left in dist/ the entry file and the assets this project's nest-cli.json names", () => {
    const nest = JSON.parse(readFileSync(join(ROOT, 'nest-cli.json'), 'utf8')) as {
      sourceRoot: string;
      entryFile: string;
      compilerOptions: { tsConfigPath: string; assets: Array<{ include: string; outDir: string }> };
    };
    expect(existsSync(join(ROOT, nest.compilerOptions.tsConfigPath))).toBe(true);
    expect(existsSync(join(ROOT, 'dist', `${nest.entryFile}.js`))).toBe(true);
    for (const asset of nest.compilerOptions.assets) {
      const folder = asset.include.replace(/\/\*\*\/\*$/, '');
      expect(existsSync(join(ROOT, nest.sourceRoot, folder))).toBe(true);
      const files = readdirSync(join(ROOT, nest.sourceRoot, folder));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) expect(existsSync(join(ROOT, asset.outDir, folder, file))).toBe(true);
    }
  });
});
