import { copySql, inlineParams } from './csv-export.repository';

describe('CSV export SQL', () => {
  it('inlines parameters as escaped literals, never raw', () => {
    expect(inlineParams('WHERE a = $1 AND b = $2 AND c = ANY($3)', ["x' OR '1'='1", 5, ['a', "b'c"]])).toBe(
      "WHERE a = 'x'' OR ''1''=''1' AND b = 5 AND c = ANY(ARRAY['a', 'b''c']::text[])",
    );
    expect(inlineParams('WHERE a = $1', ['back\\slash'])).toBe("WHERE a =  E'back\\\\slash'");
    expect(() => inlineParams('WHERE a = $1', [{}])).toThrow(/unsupported/);
  });

  it('neutralises every text cell once, and writes timestamps as ISO 8601 UTC', () => {
    const sql = copySql({
      columns: [
        { header: 'id', sql: 'p.id', type: 'uuid' },
        { header: 'name', sql: 'p.name' },
        { header: 'lists', sql: '(SELECT string_agg(x) FROM y)' },
        { header: 'at', sql: 'p.at', type: 'timestamp' },
      ],
      from: 'FROM p WHERE p.c = $1',
      params: ['LB'],
    });
    expect(sql).toBe(
      `COPY (SELECT (p.id)::text AS "id", ` +
        `CASE WHEN left(p.name::text, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || p.name::text ELSE p.name::text END AS "name", ` +
        `regexp_replace(((SELECT string_agg(x) FROM y))::text, E'^([-=+@\\t\\r])', '''\\1') AS "lists", ` +
        `to_char((p.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "at" ` +
        `FROM p WHERE p.c = 'LB') TO STDOUT WITH (FORMAT csv, ENCODING 'UTF8')`,
    );
  });
});
