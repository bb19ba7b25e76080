import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { Platform, startPlatform } from './support/platform';

const run = promisify(execFile);
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

interface Operation {
  operationId?: string;
  summary?: string;
  security?: unknown[];
}
interface Document {
  servers?: Array<{ url: string }>;
  paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>>;
}

function operations(doc: Document): Array<{ name: string; op: Operation }> {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ name: `${m.toUpperCase()} ${path}`, op: item[m] as Operation })),
  );
}

/**
 * The whole OpenAPI document, as the app serves it, must pass Redocly's recommended ruleset
 * with no error: generated clients and API portals read it. The checks before Redocly name the
 * operation that breaks a rule, so a route added without a summary says which.
 */
describe('OpenAPI document (Redocly recommended ruleset)', () => {
  let platform: Platform;
  let doc: Document;
  let dir: string;

  beforeAll(async () => {
    platform = await startPlatform({}, { worker: false });
    const res = await request(platform.api.getHttpServer()).get('/docs-json');
    expect(res.status).toBe(200);
    doc = res.body as Document;
    dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  });
  afterAll(async () => {
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives every operation a summary and a unique operationId', () => {
    const ops = operations(doc);
    expect(ops.length).toBeGreaterThan(50);
    expect(ops.filter(({ op }) => !op.summary?.trim()).map(({ name }) => name)).toEqual([]);
    const ids = ops.map(({ op }) => op.operationId);
    expect(ids.filter((id, i) => !id || ids.indexOf(id) !== i)).toEqual([]);
  });

  it('says which operations are public (security: []) and which need a key', () => {
    const undeclared = operations(doc).filter(({ op }) => !Array.isArray(op.security));
    expect(undeclared.map(({ name }) => name)).toEqual([]);
    expect(doc.servers?.length).toBeGreaterThan(0);
  });

  it('has no error under `redocly lint --extends recommended`', async () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const bin = require.resolve('@redocly/cli/bin/cli.js');
    let out: string;
    try {
      ({ stdout: out } = await run(process.execPath, [bin, 'lint', '--extends', 'recommended', '--format', 'json', file], {
        timeout: 60_000,
        maxBuffer: 32 * 1024 * 1024,
      }));
    } catch (err) {
      // Redocly exits 1 when it finds errors; its report is still on stdout.
      out = (err as { stdout?: string }).stdout ?? '';
      if (!out) throw err;
    }
    const report = JSON.parse(out) as {
      problems: Array<{ ruleId: string; severity: string; message: string; location: Array<{ pointer?: string }> }>;
    };
    const errors = report.problems
      .filter((p) => p.severity === 'error')
      .map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
    expect(errors).toEqual([]);
  }, 90_000);
});
