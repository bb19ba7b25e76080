import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ActionSpec } from './action-definition';

/** The lifecycle's own queries over any kind's table, from the conditions its spec declares. */
@Injectable()
export class ActionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Requests no worker has decided since `olderThanSeconds` ago (their job was lost): for re-driving, oldest first. */
  async findUndecided(spec: Pick<ActionSpec, 'record' | 'sql'>, olderThanSeconds: number, limit: number): Promise<string[]> {
    const { record, sql } = spec;
    const table = record.table;
    const rows: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM ${table} WHERE ${sql.undecided} AND ${sql.since} < now() - make_interval(secs => $1) ORDER BY ${sql.since} LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((r) => r.id);
  }
}
