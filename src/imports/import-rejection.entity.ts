import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { ImportJob } from './import-job.entity';

/** One rejected line of a background import: its number in the file and why (never the cell's content). */
@Entity('import_rejections')
export class ImportRejection {
  @PrimaryColumn({ name: 'import_id', type: 'uuid' })
  importId!: string;

  @PrimaryColumn({ type: 'int' })
  line!: number;

  @ManyToOne(() => ImportJob, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'import_id', foreignKeyConstraintName: 'FK_import_rejections_job' })
  job?: ImportJob;

  @Column({ type: 'text' })
  reason!: string;
}
