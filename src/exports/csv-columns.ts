import type { CsvColumn } from './csv-export.repository';

/**
 * CSV columns named by their headers, each cell's SQL derived from its header:
 * `csvColumns('r', 'id:uuid givenName createdAt:timestamp')` reads `r.id` (a uuid),
 * `r.given_name` and `r.created_at` (a timestamp); `email=p.email` names its SQL itself.
 */
export function csvColumns(alias: string, spec: string): CsvColumn[] {
  return spec
    .trim()
    .split(/\s+/)
    .map((item) => {
      const [named, type] = item.split(':') as [string, CsvColumn['type'] | undefined];
      const [header, sql] = named.split('=');
      const column: CsvColumn = { header, sql: sql ?? `${alias}.${header.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}` };
      return type ? { ...column, type } : column;
    });
}
