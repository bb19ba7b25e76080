import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const EXPORT_REQUEST_KINDS = ['people', 'signatures', 'rsvps'] as const;
export type ExportRequestKind = (typeof EXPORT_REQUEST_KINDS)[number];
/** `expired` is never stored: an approved request not downloaded within the hour reads as expired. */
export type ExportRequestStatus = 'pending' | 'approved' | 'refused' | 'downloaded' | 'expired';

/**
 * A bulk export waiting for a second pair of eyes (EXPORT_APPROVAL_MIN_ROWS): requested by
 * one organizer, approved or refused by another, downloaded once by its requester within an
 * hour of approval (docs/safety.md).
 */
@Entity('export_requests')
@Index('IDX_export_requests_pending', ['createdAt'], { where: `"status" = 'pending'` })
@Check('CHK_export_requests_status', `"status" IN ('pending', 'approved', 'refused', 'downloaded')`)
export class ExportRequest {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: ExportRequestKind;

  /** The petition (signatures) or event (RSVPs) exported. */
  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  /** `{list?, country?, language?, status?}`, as validated. */
  @Column({ type: 'jsonb', default: () => `'{}'` })
  filters!: Record<string, string>;

  /** Rows the export held when requested (canary rows not counted). */
  @Column({ type: 'int' })
  rows!: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: 'pending' | 'approved' | 'refused' | 'downloaded';

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy!: string;

  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @Column({ name: 'downloaded_at', type: 'timestamptz', nullable: true })
  downloadedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
