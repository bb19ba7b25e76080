import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { RequestValidationException } from './validation';

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @Max(500)
  @Min(1)
  @IsInt()
  limit = 50;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @ValidateBy({ name: 'isCursor', validator: { validate: isCursor, defaultMessage: () => 'cursor is not valid' } })
  @MaxLength(200)
  @IsString()
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Where a page ended: the last row's creation time in microseconds since the epoch (a
 * string: PostgreSQL keeps microseconds, a JS Date only milliseconds, and rows written in
 * one transaction share a timestamp) and its id.
 */
export interface KeysetPosition {
  createdAtMicros: string;
  id: string;
}

/** SQL for a row's keyset position; select it AS "cursorMicros" next to the row. */
export const CURSOR_MICROS_SQL = (column: string): string => `(extract(epoch from ${column}) * 1000000)::bigint::text`;
/** SQL turning a cursor's micros parameter back into a timestamptz, exactly. */
export const CURSOR_TIMESTAMP_SQL = (param: string): string => `(timestamptz 'epoch' + ${param}::bigint * interval '1 microsecond')`;

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.createdAtMicros, position.id])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * The last microsecond of 9999 (253402300799999999): within bigint, and a time PostgreSQL's
 * timestamptz holds, so a cursor never reaches SQL as an out-of-range number (22003, 22008).
 */
const MAX_MICROS = 253_402_300_799_999_999n;

/** The position a cursor holds, or undefined when it holds none a page could have ended at. */
function parseCursor(cursor: string): KeysetPosition | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [createdAtMicros, id] = parsed as unknown[];
  if (typeof createdAtMicros !== 'string' || !/^\d{1,18}$/.test(createdAtMicros) || BigInt(createdAtMicros) > MAX_MICROS) return undefined;
  if (typeof id !== 'string' || !UUID.test(id)) return undefined;
  return { createdAtMicros, id };
}

/** For validators: whether a query's cursor is one this API could have given out. */
export function isCursor(value: unknown): boolean {
  return typeof value === 'string' && parseCursor(value) !== undefined;
}

export function decodeCursor(cursor: string | undefined): KeysetPosition | undefined {
  if (cursor === undefined) return undefined;
  const position = parseCursor(cursor);
  if (!position) throw new RequestValidationException([{ field: 'cursor', message: 'cursor is not valid' }]);
  return position;
}

/** A page from rows fetched with `limit`, each carrying its "cursorMicros". */
export function toPage<T extends { cursorMicros: string; id: string }, R>(
  rows: T[],
  limit: number,
  map: (row: Omit<T, 'cursorMicros'>) => R,
): Page<R> {
  const last = rows.length === limit ? rows[rows.length - 1] : undefined;
  return {
    items: rows.map(({ cursorMicros: _cursor, ...row }) => map(row)),
    nextCursor: last ? encodeCursor({ createdAtMicros: last.cursorMicros, id: last.id }) : null,
  };
}

/**
 * A list that can also be read as an incremental sync: with `modifiedSince` the page holds
 * the rows changed at or after that time, oldest change first, keyset-paged on
 * (modified_at, id), and `nextCursor` continues it. A client keeps the largest `modifiedAt`
 * it saw and asks again from it (inclusive: a row changed in that very microsecond is seen
 * again rather than missed).
 */
export class SyncPageQuery extends PageQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    example: '2026-01-01T00:00:00Z',
    description:
      'Incremental sync: only what changed at or after this ISO 8601 time (inclusive), oldest change first, paged on (modifiedAt, id)',
  })
  @IsOptional()
  @IsISO8601({ strict: true, strictSeparator: true }, { message: 'modifiedSince must be an ISO 8601 date-time' })
  @MaxLength(40)
  @IsString()
  modifiedSince?: string;
}

/** The SQL of an incremental sync page: which rows, in which order, after which position. */
export interface SyncWindow {
  /** Inclusive lower bound of modified_at. */
  since: Date;
}

/** `modifiedSince` as a Date, refusing a time PostgreSQL's timestamptz cannot hold (the validator checked its shape). */
export function syncWindow(modifiedSince: string | undefined): SyncWindow | undefined {
  if (modifiedSince === undefined) return undefined;
  const since = new Date(modifiedSince);
  if (Number.isNaN(since.getTime()) || since.getUTCFullYear() < 1 || since.getUTCFullYear() > 9999) {
    throw new RequestValidationException([{ field: 'modifiedSince', message: 'modifiedSince must be an ISO 8601 date-time' }]);
  }
  return { since };
}

/**
 * Keyset WHERE conditions and ORDER BY of a page: the list's own (created_at, newest first
 * or not) or, in a sync window, modified_at (or `syncColumn`) ascending. Pushes its
 * parameters onto `params`; `cursorSql` goes in the SELECT AS "cursorMicros".
 */
export function keysetClauses(
  alias: string,
  params: unknown[],
  options: { after?: KeysetPosition; sync?: SyncWindow; newestFirst: boolean; syncColumn?: string },
): { conditions: string[]; orderBy: string; cursorSql: string } {
  const column = `${alias}.${options.sync ? (options.syncColumn ?? 'modified_at') : 'created_at'}`;
  const descending = !options.sync && options.newestFirst;
  const conditions: string[] = [];
  if (options.sync) {
    params.push(options.sync.since);
    conditions.push(`${column} >= $${params.length}`);
  }
  if (options.after) {
    params.push(options.after.createdAtMicros, options.after.id);
    conditions.push(
      `(${column}, ${alias}.id) ${descending ? '<' : '>'} (${CURSOR_TIMESTAMP_SQL(`$${params.length - 1}`)}, $${params.length})`,
    );
  }
  const direction = descending ? 'DESC' : 'ASC';
  return { conditions, orderBy: `${column} ${direction}, ${alias}.id ${direction}`, cursorSql: CURSOR_MICROS_SQL(column) };
}
