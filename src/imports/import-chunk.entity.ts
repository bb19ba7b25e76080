import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ImportJob } from './import-job.entity';

/**
 * An uploaded file's bytes, in order, one row per piece of at most 1 MiB: kept in
 * PostgreSQL (not on an API machine's disk, which a worker elsewhere could not read), and
 * read back by the worker one piece at a time. Deleted with the job.
 */
@Entity('import_chunks')
export class ImportChunk {
  @PrimaryColumn({ name: 'import_id', type: 'uuid' })
  importId!: string;

  @PrimaryColumn({ type: 'int' })
  seq!: number;

  @ManyToOne(() => ImportJob, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'import_id', foreignKeyConstraintName: 'FK_import_chunks_job' })
  job?: ImportJob;

  @Column({ type: 'bytea' })
  data!: Buffer;
}
