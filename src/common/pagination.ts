import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
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

export function decodeCursor(cursor: string | undefined): KeysetPosition | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [createdAtMicros, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof createdAtMicros !== 'string' || !/^\d{1,19}$/.test(createdAtMicros)) throw new Error('bad cursor');
    if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad cursor');
    return { createdAtMicros, id };
  } catch {
    throw new RequestValidationException([{ field: 'cursor', message: 'cursor is not valid' }]);
  }
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
