import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The intent to put a job on a queue, committed in the same transaction as the record it
 * is about. The relay enqueues it (deterministic job id) and marks it dispatched; rows left
 * undispatched because Redis was away are re-driven until it comes back.
 */
@Entity('outbox')
@Index('IDX_outbox_pending', ['createdAt'], { where: '"dispatched_at" IS NULL' })
export class OutboxEntry {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 64 })
  queue!: string;

  @Column({ name: 'job_name', type: 'varchar', length: 64 })
  jobName!: string;

  @Column({ name: 'job_id', type: 'varchar', length: 200 })
  jobId!: string;

  @Column({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', nullable: true })
  dispatchedAt!: Date | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;
}
