import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { PendingOutboxEntry } from '../outbox/outbox.repository';
import type { ImportJobStatus } from './import-job.entity';

export interface ImportJobRow {
  id: string;
  organizerId: string | null;
  filename: string;
  bytes: number;
  header: string[];
  mapping: Array<string | null> | null;
  lists: string[];
  consentConfirmed: boolean;
  overwrite: boolean;
  status: ImportJobStatus;
  bytesRead: number;
  checkpointLine: number;
  imported: number;
  updated: number;
  rejected: number;
  error: string | null;
  attempts: number;
  createdAt: Date;
  queuedAt: Date | null;
  heartbeatAt: Date | null;
  finishedAt: Date | null;
}

const JOB_COLUMNS = `id, organizer_id AS "organizerId", filename, bytes::float8 AS bytes, header, mapping, lists,
  consent_confirmed AS "consentConfirmed", overwrite, status, bytes_read::float8 AS "bytesRead", checkpoint_line AS "checkpointLine",
  imported, updated, rejected, error, attempts, created_at AS "createdAt", queued_at AS "queuedAt",
  heartbeat_at AS "heartbeatAt", finished_at AS "finishedAt"`;

/** Background imports: the stored file, the job's state, its rejections, the remembered mappings. */
@Injectable()
export class ImportJobsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(tx: EntityManager, job: { organizerId: string | null; filename: string; header: string[] }): Promise<string> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO import_jobs (organizer_id, filename, bytes, header) VALUES ($1, $2, 0, $3) RETURNING id`,
      [job.organizerId, job.filename, job.header],
    );
    return rows[0].id;
  }

  async addChunk(tx: EntityManager, importId: string, seq: number, data: Buffer): Promise<void> {
    await tx.query(`INSERT INTO import_chunks (import_id, seq, data) VALUES ($1, $2, $3)`, [importId, seq, data]);
  }

  async setUploaded(tx: EntityManager, importId: string, bytes: number, header: string[]): Promise<void> {
    await tx.query(`UPDATE import_jobs SET bytes = $2, header = $3 WHERE id = $1`, [importId, bytes, header]);
  }

  /** One stored piece of the file, or null past its end. */
  async chunk(importId: string, seq: number): Promise<Buffer | null> {
    const rows: Array<{ data: Buffer }> = await this.dataSource.query(`SELECT data FROM import_chunks WHERE import_id = $1 AND seq = $2`, [
      importId,
      seq,
    ]);
    return rows[0]?.data ?? null;
  }

  async find(importId: string): Promise<ImportJobRow | null> {
    const rows: ImportJobRow[] = await this.dataSource.query(`SELECT ${JOB_COLUMNS} FROM import_jobs WHERE id = $1`, [importId]);
    return rows[0] ?? null;
  }

  /** The newest imports first (the wizard's list). */
  recent(limit: number): Promise<ImportJobRow[]> {
    return this.dataSource.query(`SELECT ${JOB_COLUMNS} FROM import_jobs ORDER BY created_at DESC, id DESC LIMIT $1`, [limit]);
  }

  /**
   * The organizer's choices, and the job queued with its outbox entry in one transaction
   * (the relay enqueues it; the sweeper re-drives it if Redis was away). Only an uploaded
   * job can be started, once: false otherwise.
   */
  async queue(
    importId: string,
    choices: { mapping: Array<string | null>; lists: string[]; consentConfirmed: boolean; overwrite: boolean },
    entry: PendingOutboxEntry,
    addOutbox: (tx: EntityManager, entries: PendingOutboxEntry[]) => Promise<void>,
  ): Promise<boolean> {
    return this.dataSource.transaction(async (tx) => {
      // An UPDATE's answer is [rows, affected count].
      const [rows]: [unknown[], number] = await tx.query(
        `UPDATE import_jobs SET mapping = $2, lists = $3, consent_confirmed = $4, overwrite = $5, status = 'queued', queued_at = now()
         WHERE id = $1 AND status = 'uploaded' RETURNING id`,
        [importId, JSON.stringify(choices.mapping), choices.lists, choices.consentConfirmed, choices.overwrite],
      );
      if (rows.length === 0) return false;
      await addOutbox(tx, [entry]);
      return true;
    });
  }

  /**
   * The lock: one worker runs a job. A queued job, or a running one whose worker stopped
   * sending heartbeats (killed), is claimed; a job another worker is running is not.
   */
  async claim(importId: string, staleSeconds: number): Promise<ImportJobRow | null> {
    const [rows]: [ImportJobRow[], number] = await this.dataSource.query(
      `UPDATE import_jobs SET status = 'running', attempts = attempts + 1, heartbeat_at = now()
       WHERE id = $1 AND (status = 'queued' OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => $2)))
       RETURNING ${JOB_COLUMNS}`,
      [importId, staleSeconds],
    );
    return rows[0] ?? null;
  }

  /** Progress, counts and the rejections since the last checkpoint, in the batch's own transaction. */
  async checkpoint(
    tx: EntityManager,
    importId: string,
    at: { line: number; bytesRead: number; imported: number; updated: number; rejectedCount: number },
    rejected: Array<{ line: number; reason: string }>,
  ): Promise<void> {
    if (rejected.length > 0) {
      await tx.query(
        `INSERT INTO import_rejections (import_id, line, reason) SELECT $1, * FROM unnest($2::int[], $3::text[])
         ON CONFLICT (import_id, line) DO NOTHING`,
        [importId, rejected.map((r) => r.line), rejected.map((r) => r.reason)],
      );
    }
    await tx.query(
      `UPDATE import_jobs SET checkpoint_line = $2, bytes_read = $3, imported = $4, updated = $5, rejected = $6, heartbeat_at = now()
       WHERE id = $1`,
      [importId, at.line, at.bytesRead, at.imported, at.updated, at.rejectedCount],
    );
  }

  /** Keeps the claim alive between batches (a batch of slow lines can take a while). */
  async heartbeat(importId: string): Promise<void> {
    await this.dataSource.query(`UPDATE import_jobs SET heartbeat_at = now() WHERE id = $1 AND status = 'running'`, [importId]);
  }

  async finish(importId: string, status: 'done' | 'failed', error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE import_jobs SET status = $2::varchar, error = $3, finished_at = now(), bytes_read = CASE WHEN $2::varchar = 'done' THEN bytes ELSE bytes_read END
       WHERE id = $1 AND status = 'running'`,
      [importId, status, error],
    );
  }

  /** A run that hit a passing fault (PostgreSQL away) hands the job back for the queue's retry. */
  async release(importId: string): Promise<void> {
    await this.dataSource.query(`UPDATE import_jobs SET status = 'queued' WHERE id = $1 AND status = 'running'`, [importId]);
  }

  /**
   * Jobs whose run should have happened by now: running with a heartbeat older than
   * `staleSeconds` (the worker died), or queued for longer than `queuedSeconds` (the queue's
   * job was lost or used up its retries). With the attempt number their next job id needs.
   */
  stale(staleSeconds: number, queuedSeconds: number, limit: number): Promise<Array<{ id: string; attempts: number }>> {
    return this.dataSource.query(
      `SELECT id, attempts FROM import_jobs
       WHERE (status = 'running' AND heartbeat_at < now() - make_interval(secs => $1))
          OR (status = 'queued' AND coalesce(heartbeat_at, queued_at) < now() - make_interval(secs => $2))
       ORDER BY created_at LIMIT $3`,
      [staleSeconds, queuedSeconds, limit],
    );
  }

  /** A page of rejected lines in file order, after `afterLine`. */
  rejections(importId: string, afterLine: number, limit: number): Promise<Array<{ line: number; reason: string }>> {
    return this.dataSource.query(`SELECT line, reason FROM import_rejections WHERE import_id = $1 AND line > $2 ORDER BY line LIMIT $3`, [
      importId,
      afterLine,
      limit,
    ]);
  }

  async savedMapping(headerKey: string): Promise<Array<string | null> | null> {
    const rows: Array<{ mapping: Array<string | null> }> = await this.dataSource.query(
      `SELECT mapping FROM import_mappings WHERE header_key = $1`,
      [headerKey],
    );
    return rows[0]?.mapping ?? null;
  }

  async saveMapping(headerKey: string, mapping: Array<string | null>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO import_mappings (header_key, mapping) VALUES ($1, $2)
       ON CONFLICT (header_key) DO UPDATE SET mapping = EXCLUDED.mapping, updated_at = now()`,
      [headerKey, JSON.stringify(mapping)],
    );
  }
}
