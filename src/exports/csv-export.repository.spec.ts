import { copySql, inlineParams } from './csv-export.repository';

describe('CSV export SQL', () => {
  it('inlines parameters as escaped literals, never raw', () => {
    expect(inlineParams('WHERE a = $1 AND b = $2 AND c = ANY($3)', ["x' OR '1'='1", 5, ['a', "b'c"]])).toBe(
      "WHERE a = 'x'' OR ''1''=''1' AND b = 5 AND c = ANY(ARRAY['a', 'b''c']::text[])",
    );
    expect(inlineParams('WHERE a = $1', ['back\\slash'])).toBe("WHERE a =  E'back\\\\slash'");
    expect(() => inlineParams('WHERE a = $1', [{}])).toThrow(/unsupported/);
  });

  it('neutralises every text cell and writes timestamps as ISO 8601 UTC', () => {
    const sql = copySql({
      columns: [
        { header: 'name', sql: 'p.name' },
        { header: 'at', sql: 'p.at', type: 'timestamp' },
      ],
      from: 'FROM p',
      params: [],
    });
    expect(sql).toContain(`CASE WHEN left(c0, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || c0 ELSE c0 END AS "name"`);
    expect(sql).toContain(`to_char(c1 AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "at"`);
    expect(sql).toMatch(/^COPY \(SELECT .* OFFSET 0\) q\) TO STDOUT WITH \(FORMAT csv, ENCODING 'UTF8'\)$/);
  });
});
