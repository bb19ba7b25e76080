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
   * `text` (default): neutralised against formula injection. `timestamp`: ISO 8601 UTC
   * (`2026-11-30T07:21:08.123Z`). `uuid`: written as is (hex and dashes cannot start a formula).
   */
  type?: 'text' | 'timestamp' | 'uuid';
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

/** Starts a cell with one of these and a spreadsheet runs it as a formula (OWASP "CSV injection"). */
const FORMULA_TRIGGERS = `('=', '+', '-', '@', E'\\t', E'\\r')`;
const COLUMN_REF = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/**
 * A cell's SQL. Text gets a leading `'` when it starts with a formula trigger: a plain
 * column with CASE (cheapest), any other expression with one regexp_replace, so a subquery
 * is evaluated once per row, not once per mention.
 */
export function cellSql(column: CsvColumn): string {
  const x = column.sql;
  if (column.type === 'timestamp') return `to_char((${x}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  if (column.type === 'uuid') return `(${x})::text`;
  if (COLUMN_REF.test(x)) return `CASE WHEN left(${x}::text, 1) IN ${FORMULA_TRIGGERS} THEN '''' || ${x}::text ELSE ${x}::text END`;
  return `regexp_replace((${x})::text, E'^([-=+@\\t\\r])', '''\\1')`;
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
