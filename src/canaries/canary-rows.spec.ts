import { parse } from 'csv-parse/sync';
import { Readable } from 'node:stream';
import { makeCanaryRows, withCanaries } from './canary-rows';

function rowsOf(text: string): string[][] {
  const rows: unknown = parse(text);
  return rows as string[][];
}

async function collect(chunks: Buffer[], canaries: ReturnType<typeof makeCanaryRows>): Promise<string> {
  let out = '';
  for await (const piece of withCanaries(Readable.from(chunks), canaries)) out += piece.toString();
  return out;
}

describe('canary rows', () => {
  const headers = ['id', 'email', 'givenName', 'familyName', 'country', 'postalCode', 'language', 'status', 'createdAt', 'confirmedAt'];

  it('are one to three unique rows at the domain, in the columns and the filters of the export', () => {
    for (let i = 0; i < 50; i++) {
      const rows = makeCanaryRows({
        kind: 'signatures',
        headers,
        filters: { language: 'fa', country: 'DE', status: 'pending' },
        domain: 'c.test',
      });
      expect(rows.lines.length).toBeGreaterThanOrEqual(1);
      expect(rows.lines.length).toBeLessThanOrEqual(3);
      expect(new Set(rows.emails).size).toBe(rows.emails.length);
      for (const [record] of rows.lines.map((l) => rowsOf(l))) {
        expect(record).toHaveLength(headers.length);
        const row = Object.fromEntries(headers.map((h, n) => [h, record[n]]));
        expect(row.email).toMatch(/^[a-z]+\.[a-z]+\d+@c\.test$/);
        expect(row).toEqual(expect.objectContaining({ country: 'DE', language: 'fa', status: 'pending', confirmedAt: '', postalCode: '' }));
        expect(row.givenName).toMatch(/\p{Script=Arabic}/u);
      }
    }
  });

  it('go in between rows, never inside a quoted cell that spans lines, wherever the chunks are cut', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? `${i},"two\nlines, ""quoted"""\n` : `${i},plain\n`));
    const text = rows.join('');
    const canaries = { emails: ['a@c.test', 'b@c.test'], lines: ['X,canary-a\n', 'Y,canary-b\n'], positions: [0, 14] };
    for (const size of [1, 3, 17, 4096]) {
      const buffer = Buffer.from(text);
      const chunks: Buffer[] = [];
      for (let at = 0; at < buffer.length; at += size) chunks.push(buffer.subarray(at, at + size));
      const out = rowsOf(await collect(chunks, canaries));
      expect(out).toHaveLength(302);
      expect(out[0]).toEqual(['X', 'canary-a']);
      expect(out[15]).toEqual(['Y', 'canary-b']);
      expect(out.filter((r) => !r[0].match(/^[XY]$/)).map((r) => Number(r[0]))).toEqual(rows.map((_, i) => i));
    }
  });

  it('left over when the rows run out go last', async () => {
    const canaries = { emails: ['a@c.test'], lines: ['X,canary\n'], positions: [150] };
    expect(await collect([Buffer.from('1,a\n2,b\n')], canaries)).toBe('1,a\n2,b\nX,canary\n');
  });
});
