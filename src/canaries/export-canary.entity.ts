import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A canary row one bulk export held (EXPORT_CANARY_DOMAIN): an address nobody else has,
 * so wherever it turns up again the export it leaked from is known. `audit_id` is the
 * export's audit entry (written with the same id when the download ends).
 */
@Entity('export_canaries')
export class ExportCanary {
  /** Lower-case address at EXPORT_CANARY_DOMAIN (unique to this export). */
  @PrimaryColumn({ type: 'text' })
  email!: string;

  @Index('IDX_export_canaries_audit')
  @Column({ name: 'audit_id', type: 'uuid' })
  auditId!: string;

  /** `people`, `signatures` or `rsvps`. */
  @Column({ type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'organizer_id', type: 'uuid', nullable: true })
  organizerId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
