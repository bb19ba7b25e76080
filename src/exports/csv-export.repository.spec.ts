import { cellSql, copySql, inlineParams, SUSPECT_FIRST } from './csv-export.repository';

describe('CSV export SQL', () => {
  it('inlines parameters as escaped literals, never raw', () => {
    expect(inlineParams('WHERE a = $1 AND b = $2 AND c = ANY($3)', ["x' OR '1'='1", 5, ['a', "b'c"]])).toBe(
      "WHERE a = 'x'' OR ''1''=''1' AND b = 5 AND c = ANY(ARRAY['a', 'b''c']::text[])",
    );
    expect(inlineParams('WHERE a = $1', ['back\\slash'])).toBe("WHERE a =  E'back\\\\slash'");
    expect(() => inlineParams('WHERE a = $1', [{}])).toThrow(/unsupported/);
  });

  it('a plain column: the cheap first-character test before any pattern, the later-lines check only for free text', () => {
    const text = cellSql({ header: 'name', sql: 'p.name' });
    const token = cellSql({ header: 'email', sql: 'p.email', type: 'token' });
    for (const sql of [text, token]) {
      expect(sql).toMatch(/^CASE WHEN ascii\(p\.\w+::text\) = ANY\('\{[\d,]+\}'::int\[\]\) AND p\.\w+::text ~ '\^/);
      expect(sql).toMatch(/THEN '''' \|\| p\.\w+::text ELSE p\.\w+::text END$/);
    }
    expect(text).toContain(`LIKE E'%\\n%'`);
    expect(token).not.toContain('LIKE');
  });

  it('suspects every formula start, ASCII and full-width, and the invisible characters that may hide one', () => {
    for (const ch of [
      '=',
      '+',
      '-',
      '@',
      '\t',
      '\r',
      '\uff1d',
      '\uff0b',
      '\uff0d',
      '\uff20',
      '\u200b',
      '\u200e',
      '\u200f',
      '\u202e',
      '\u2066',
      '\ufeff',
      '\u00ad',
      '\u061c',
    ])
      expect(SUSPECT_FIRST).toContain(ch.codePointAt(0));
    for (const ch of ['a', 'Z', '0', 'أ', ' ', '"', "'"]) expect(SUSPECT_FIRST).not.toContain(ch.codePointAt(0));
  });

  it('any other expression is evaluated once, in one regexp_replace; timestamps as ISO 8601 UTC; uuids as they are', () => {
    const sql = copySql({
      columns: [
        { header: 'id', sql: 'p.id', type: 'uuid' },
        { header: 'lists', sql: '(SELECT string_agg(x) FROM y)' },
        { header: 'at', sql: 'p.at', type: 'timestamp' },
      ],
      from: 'FROM p WHERE p.c = $1',
      params: ['LB'],
    });
    expect(sql).toBe(
      `COPY (SELECT (p.id)::text AS "id", ` +
        `regexp_replace(((SELECT string_agg(x) FROM y))::text, '^(?=[\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff]*[-=+@\\t\\r\\uff0b\\uff0d\\uff1d\\uff20]|.*[\\r\\n][\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff]*[=\\uff1d])', '''') AS "lists", ` +
        `to_char((p.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "at" ` +
        `FROM p WHERE p.c = 'LB') TO STDOUT WITH (FORMAT csv, ENCODING 'UTF8')`,
    );
  });
});
