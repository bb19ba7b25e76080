import { FilterError, parseFilter, parseIsoTime, toSql } from './odata-filter';

const COLUMNS = { modified_date: 'p.modified', created_date: 'p.created', email_address: 'p.email' };

describe('OData filter subset', () => {
  it.each([
    ["modified_date gt '2026-01-01T00:00:00Z'", 'p.modified > $3::timestamptz', ['2026-01-01T00:00:00.000Z']],
    ["created_date ge '2026-01-01'", 'p.created >= $3::timestamptz', ['2026-01-01T00:00:00.000Z']],
    ["modified_date lt '2026-01-01T10:00:00+02:00'", 'p.modified < $3::timestamptz', ['2026-01-01T08:00:00.000Z']],
    ["email_address eq 'Amal@Example.ORG'", 'p.email = $3::text', ['amal@example.org']],
    [
      "modified_date gt '2026-01-01' and modified_date le '2026-02-01' or email_address ne 'x''y@z.org'",
      '((p.modified > $3::timestamptz AND p.modified <= $4::timestamptz) OR p.email <> $5::text)',
      ['2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z', "x'y@z.org"],
    ],
    [
      "created_date LT '2026-01-01' AND (email_address eq 'a@b.org' OR email_address eq 'c@d.org')",
      '(p.created < $3::timestamptz AND (p.email = $4::text OR p.email = $5::text))',
      ['2026-01-01T00:00:00.000Z', 'a@b.org', 'c@d.org'],
    ],
  ])('%s', (filter, sql, params) => {
    expect(toSql(parseFilter(filter), COLUMNS, 3)).toEqual({ sql, params });
  });

  it.each([
    [''],
    ['modified_date'],
    ['modified_date gt'],
    ['modified_date gt 2026-01-01'],
    ["modified_date gt '2026-13-01'"],
    ["modified_date gt '2026-02-30'"],
    ["modified_date gt 'yesterday'"],
    ["modified_date gt '2026-01-01"],
    ["given_name eq 'x'"],
    ["email_address gt 'a@b.org'"],
    ["modified_date like '2026-01-01'"],
    ["(modified_date gt '2026-01-01'"],
    ["modified_date gt '2026-01-01')"],
    ["modified_date gt '2026-01-01' and"],
    ["modified_date gt '2026-01-01'; DROP TABLE people"],
    ["email_address eq 'a@b.org' email_address eq 'c@d.org'"],
    [`${Array.from({ length: 40 }, () => "email_address eq 'a@b.org'").join(' or ')}`],
  ])('refuses %p', (filter) => {
    expect(() => parseFilter(filter)).toThrow(FilterError);
  });

  it('reads ISO times strictly', () => {
    expect(parseIsoTime('2026-01-01T00:00:00.123456Z')?.toISOString()).toBe('2026-01-01T00:00:00.123Z');
    expect(parseIsoTime('2026-01-01T00:00')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(parseIsoTime('2026-01-01T24:00:00Z')).toBeNull();
  });
});
