import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const IMPORT_JOB_STATUSES = ['uploaded', 'queued', 'running', 'done', 'failed'] as const;
export type ImportJobStatus = (typeof IMPORT_JOB_STATUSES)[number];

/**
 * A people import run in the background (the console's import wizard): the uploaded file
 * (its bytes in `import_chunks`, never on disk), how its columns map to fields, the
 * organizer's choices, and the run's progress and counts. `uploaded` → (mapped, confirmed)
 * `queued` → `running` (claimed by one worker with a conditional update) → `done` or
 * `failed`; a `running` job whose heartbeat stopped is claimed again (see src/imports/README.md).
 */
@Entity('import_jobs')
@Index('IDX_import_jobs_unfinished', ['status', 'heartbeatAt'], { where: `"status" IN ('queued', 'running')` })
@Index('IDX_import_jobs_created', ['createdAt', 'id'])
@Check('CHK_import_jobs_status', `"status" IN ('uploaded', 'queued', 'running', 'done', 'failed')`)
export class ImportJob {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Who uploaded it (null: the command line). */
  @Column({ name: 'organizer_id', type: 'uuid', nullable: true })
  organizerId!: string | null;

  /** The file's name as the browser sent it (shown escaped; never a path on this machine). */
  @Column({ type: 'text' })
  filename!: string;

  @Column({ type: 'bigint' })
  bytes!: string;

  /** The file's header line, cell by cell, as typed. */
  @Column({ type: 'text', array: true })
  header!: string[];

  /** For each header cell, the field it fills (`email`, `givenName`...) or null (ignored). */
  @Column({ type: 'jsonb', nullable: true })
  mapping!: Array<string | null> | null;

  /** Lists every line is added to. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  lists!: string[];

  @Column({ name: 'consent_confirmed', type: 'boolean', default: false })
  consentConfirmed!: boolean;

  @Column({ type: 'boolean', default: false })
  overwrite!: boolean;

  @Column({ type: 'varchar', length: 16, default: 'uploaded' })
  status!: ImportJobStatus;

  @Column({ name: 'bytes_read', type: 'bigint', default: 0 })
  bytesRead!: string;

  /** Every line up to this one is handled (written or rejected) and committed: a re-run resumes after it. */
  @Column({ name: 'checkpoint_line', type: 'int', default: 0 })
  checkpointLine!: number;

  @Column({ type: 'int', default: 0 })
  imported!: number;

  @Column({ type: 'int', default: 0 })
  updated!: number;

  @Column({ type: 'int', default: 0 })
  rejected!: number;

  /** Why a failed run failed, in the organizer's words (never a stack trace). */
  @Column({ type: 'text', nullable: true })
  error!: string | null;

  /** How many times a worker claimed it. */
  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'queued_at', type: 'timestamptz', nullable: true })
  queuedAt!: Date | null;

  @Column({ name: 'heartbeat_at', type: 'timestamptz', nullable: true })
  heartbeatAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
