import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A canary address seen again (a sign-up, signature, RSVP, import or email event): one row
 * per occurrence, so a job run twice alerts once.
 */
@Entity('canary_sightings')
@Unique('UQ_canary_sightings_occurrence', ['source', 'reference'])
export class CanarySighting {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  email!: string;

  /** `signup`, `signature`, `rsvp`, `import`, `email-event`. */
  @Column({ type: 'varchar', length: 16 })
  source!: string;

  /** What the occurrence was: the record's id, the import's run, the event's id. */
  @Column({ type: 'varchar', length: 200 })
  reference!: string;

  @Column({ name: 'audit_id', type: 'uuid' })
  auditId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
