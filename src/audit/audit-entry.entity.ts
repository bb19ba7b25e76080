import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One admin action: who (organizer and key), what, on which record, when, from where.
 * Append-only: a trigger in the migration makes PostgreSQL refuse UPDATE, DELETE and
 * TRUNCATE on the table. Details never hold a supporter's personal data (an email filter
 * is recorded as present, not as its value), so an erasure never has to touch this table.
 */
@Entity('audit_log')
@Index('IDX_audit_log_cursor', ['createdAt', 'id'])
export class AuditEntry {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Null for actions of the platform itself or of the command line. */
  @Column({ name: 'organizer_id', type: 'uuid', nullable: true })
  organizerId!: string | null;

  @Column({ name: 'api_key_id', type: 'uuid', nullable: true })
  apiKeyId!: string | null;

  @Column({ type: 'varchar', length: 100 })
  action!: string;

  @Column({ name: 'target_type', type: 'varchar', length: 50, nullable: true })
  targetType!: string | null;

  @Column({ name: 'target_id', type: 'varchar', length: 100, nullable: true })
  targetId!: string | null;

  @Column({ type: 'jsonb', default: () => `'{}'` })
  details!: Record<string, unknown>;

  /** Keyed hash (HMAC under APP_SECRET) of the organizer's client address; no raw IP is stored anywhere. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  ip!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true })
  requestId!: string | null;
}
