import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Pool, PoolClient, escapeIdentifier, escapeLiteral } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Readable } from 'node:stream';
import { AppConfig } from '../config/app-config';

export interface CsvColumn {
  /** Header cell (a plain identifier such as `givenName`). */
  header: string;
  /** SQL expression of the cell. */
  sql: string;
  /**
   * `text` (default): free text (names, comments), neutralised against formula injection
   * (see `cellSql`). `token`: a value every entry point validates to a narrow set of
   * characters without line breaks (an address, a country or language code, a postal
   * code): neutralised the same way but for the later-lines check, which no such value can
   * need. `timestamp`: ISO 8601 UTC (`2026-11-30T07:21:08.123Z`). `uuid`: written as is
   * (hex and dashes cannot start a formula).
   */
  type?: 'text' | 'token' | 'timestamp' | 'uuid';
}

/** An export: its columns and `FROM ... WHERE ...` with `$n` placeholders for `params`. */
export interface CsvQuery {
  columns: CsvColumn[];
  from: string;
  params: unknown[];
}

export interface CopyOut {
  /** CSV rows (no header), as PostgreSQL writes them: RFC 4180 quoting, UTF-8. */
  stream: Readable;
  /** Resolves with the number of rows once the server has finished the COPY. */
  done: Promise<number>;
  /** Gives the connection back; with an error (client gone, COPY aborted) it is closed instead. */
  release(err?: Error): void;
}

/*
 * Formula injection (OWASP "CSV injection"): a spreadsheet runs a cell as a formula when it
 * starts with = + - @ (or a tab or carriage return before one). Defence in depth (issue 19):
 * also when invisible format characters (zero-width space, bidi marks, a BOM) come first,
 * when it starts with a full-width ＝ ＋ － ＠, and when a later line of the cell starts
 * with = (a parser that splits rows on every line break would see a cell there). Such a
 * cell gets a leading `'`. The patterns are PostgreSQL AREs (escapes as \uXXXX).
 */
/** Invisible format characters a spreadsheet may skip before a formula: soft hyphen, ALM, MVS, ZWSP..RLM, LRE..RLO, WJ..invisible plus, LRI..nominal digit shapes, BOM. */
const FORMAT_CHARS = '\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e\\u2060-\\u2064\\u2066-\\u206f\\ufeff';
/** What starts a formula: the OWASP four, tab and CR, and the full-width ＋ － ＝ ＠. */
const FORMULA_START = '-=+@\\t\\r\\uff0b\\uff0d\\uff1d\\uff20';
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
/**
 * Code points a cell that needs neutralising can start with: every formula start and every
 * format character above. Comparing the first code point with this set (a hashed lookup)
 * is the cheap test that clears almost every cell; only a cell starting with one of them
 * is matched against the full pattern.
 */
export const SUSPECT_FIRST = [
  0x09,
  0x0d,
  0x2b,
  0x2d,
  0x3d,
  0x40,
  0xad,
  0x61c,
  0x180e,
  ...range(0x200b, 0x200f),
  ...range(0x202a, 0x202e),
  ...range(0x2060, 0x2064),
  ...range(0x2066, 0x206f),
  0xfeff,
  0xff0b,
  0xff0d,
  0xff1d,
  0xff20,
];
const STARTS_FORMULA = `'^[${FORMAT_CHARS}]*[${FORMULA_START}]'`;
const LINE_STARTS_FORMULA = `'[\\r\\n][${FORMAT_CHARS}]*[=\\uff1d]'`;
const COLUMN_REF = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/**
 * The test that a plain column's cell needs neutralising, cheapest first: its first code
 * point against the suspect set (then the pattern), and, for free text, a line break
 * anywhere (then the later-lines pattern). NULL stays NULL.
 */
function needsQuoteSql(x: string, freeText: boolean): string {
  const start = `ascii(${x}) = ANY('{${SUSPECT_FIRST.join(',')}}'::int[]) AND ${x} ~ ${STARTS_FORMULA}`;
  if (!freeText) return start;
  return `${start} OR (${x} LIKE E'%\\n%' OR ${x} LIKE E'%\\r%') AND ${x} ~ ${LINE_STARTS_FORMULA}`;
}

/**
 * A cell's SQL. Text gets a leading `'` when it could run as a formula (see above): a plain
 * column with the cheap test first and the patterns only for cells it does not clear; any
 * other expression (a subquery) with one regexp_replace doing every check, so it is
 * evaluated once per row, not once per mention. Timestamps with to_char, the cheapest exact
 * way to this ISO 8601 form in PostgreSQL (docs/performance.md, "export").
 */
export function cellSql(column: CsvColumn): string {
  const x = column.sql;
  if (column.type === 'timestamp') return `to_char((${x}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (column.type === 'uuid') return `(${x})::text`;
  if (COLUMN_REF.test(x)) {
    const v = `${x}::text`;
    return `CASE WHEN ${needsQuoteSql(v, column.type !== 'token')} THEN '''' || ${v} ELSE ${v} END`;
  }
  return `regexp_replace((${x})::text, '^(?=[${FORMAT_CHARS}]*[${FORMULA_START}]|.*[\\r\\n][${FORMAT_CHARS}]*[=\\uff1d])', '''')`;
}

/**
 * COPY takes no bind parameters, so each `$n` becomes a quoted literal (pg's escapeLiteral,
 * which also handles backslashes). Only strings, numbers and arrays of strings are accepted.
 */
export function inlineParams(sql: string, params: unknown[]): string {
  return sql.replace(/\$(\d+)/g, (_match, n: string) => {
    const value = params[Number(n) - 1];
    if (typeof value === 'string') return escapeLiteral(value);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
      return `ARRAY[${value.map((v) => escapeLiteral(v)).join(', ')}]::text[]`;
    }
    throw new Error(`export parameter $${n} has an unsupported type`);
  });
}

/** The COPY statement of an export: every text cell neutralised, every timestamp ISO 8601 UTC. */
export function copySql(query: CsvQuery): string {
  const cells = query.columns.map((c) => `${cellSql(c)} AS ${escapeIdentifier(c.header)}`).join(', ');
  return `COPY (SELECT ${cells} ${inlineParams(query.from, query.params)}) TO STDOUT WITH (FORMAT csv, ENCODING 'UTF8')`;
}

/**
 * Bulk exports: `COPY ... TO STDOUT (FORMAT csv)` on a small pool of its own, on
 * EXPORT_DATABASE_URL (a read replica) when set, else DATABASE_URL. Its own pool so a few
 * long exports can never take the connections the API and its sign-ups need; no
 * statement timeout, since a million rows to a slow client may take minutes (the client
 * pulls: PostgreSQL waits on the socket when the HTTP side is not reading).
 */
@Injectable()
export class CsvExportRepository implements OnModuleDestroy {
  static readonly MAX_CONCURRENT_EXPORTS = 4;
  private pool?: Pool;

  constructor(private readonly config: AppConfig) {}

  async onModuleDestroy(): Promise<void> {
    await this.pool?.end();
  }

  private getPool(): Pool {
    if (!this.pool) {
      this.pool = new Pool({
        connectionString: this.config.EXPORT_DATABASE_URL ?? this.config.DATABASE_URL,
        max: CsvExportRepository.MAX_CONCURRENT_EXPORTS,
        connectionTimeoutMillis: 5_000,
        idleTimeoutMillis: 10_000,
        application_name: 'campaign-export',
      });
      // An idle connection dropped by the server must not crash the process.
      this.pool.on('error', () => undefined);
    }
    return this.pool;
  }

  /** The export's row count, counting no further than `atMost` when given (the approval threshold's check stops early). */
  async count(query: CsvQuery, atMost?: number): Promise<number> {
    const params = [...query.params];
    let limit = '';
    if (atMost !== undefined) {
      params.push(atMost);
      limit = `LIMIT $${params.length}`;
    }
    const { rows } = await this.getPool().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM (SELECT 1 ${query.from} ${limit}) q`,
      params,
    );
    return rows[0].n;
  }

  async copyOut(query: CsvQuery): Promise<CopyOut> {
    const client: PoolClient = await this.getPool().connect();
    const stream = copyTo(copySql(query)) as ReturnType<typeof copyTo> & { handleReadyForQuery(): void };
    // pg tells the COPY stream when the server has reported the row count; the stream's
    // 'end' can come before that, so wait for the report itself.
    const done = new Promise<number>((resolve, reject) => {
      const original = stream.handleReadyForQuery.bind(stream);
      stream.handleReadyForQuery = () => {
        original();
        resolve(stream.rowCount);
      };
      stream.once('error', reject);
    });
    done.catch(() => undefined);
    let released = false;
    return {
      stream: client.query(stream),
      done,
      release: (err?: Error) => {
        if (released) return;
        released = true;
        client.release(err ?? false);
      },
    };
  }
}
