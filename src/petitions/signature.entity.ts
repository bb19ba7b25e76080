import { Check, Column, Entity, Index, JoinColumn, ManyToOne, Unique } from 'typeorm';
import { ActionRecordColumns } from '../actions/action-record.columns';
import { Petition } from './petition.entity';

export const SIGNATURE_STATUSES = ['pending', 'confirmed'] as const;
export type SignatureStatus = (typeof SIGNATURE_STATUSES)[number];

/**
 * One person's signature on one petition (the unique constraint is the guarantee, whatever
 * the concurrency). The details the signer typed stay here; they reach the person only
 * when the emailed link is used, and only while the person is unconfirmed. Once the person
 * was erased, a confirmed signature keeps only what the count needs (petition, status,
 * times), see `PetitionsRepository.anonymiseSignaturesOf`.
 */
@Entity('signatures')
@Unique('UQ_signatures_petition_person', ['petitionId', 'personId'])
@Index('IDX_signatures_person', ['personId'])
// Admin paging (newest first) and the public list of confirmed, named signers.
@Index('IDX_signatures_petition_created', ['petitionId', 'createdAt', 'id'])
@Index('IDX_signatures_public', ['petitionId', 'createdAt'], { where: `"status" = 'confirmed' AND "public_name"` })
// The reminder scan: pending signatures that were mailed and not yet reminded.
@Index('IDX_signatures_remind', ['mailedAt'], { where: `"status" = 'pending' AND "reminded_at" IS NULL AND "mailed_at" IS NOT NULL` })
// The reconciler: signing requests no worker has handled yet.
@Index('IDX_signatures_unhandled', ['createdAt'], { where: `"status" = 'pending' AND "handled_requests" < "sign_requests"` })
// The retention scan: signatures never confirmed, oldest first.
@Index('IDX_signatures_pending_created', ['createdAt'], { where: `"status" = 'pending'` })
// Incremental sync of one petition's signatures: keyset paging on (modified_at, id).
@Index('IDX_signatures_petition_modified', ['petitionId', 'modifiedAt', 'id'])
@Check('CHK_signatures_status', `"status" IN ('pending', 'confirmed')`)
export class Signature extends ActionRecordColumns('signatures') {
  @Column({ name: 'petition_id', type: 'uuid' })
  petitionId!: string;

  @ManyToOne(() => Petition, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'petition_id', foreignKeyConstraintName: 'FK_signatures_petition' })
  petition?: Petition;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: SignatureStatus;

  @Column({ name: 'postal_code', type: 'varchar', length: 20, nullable: true })
  postalCode!: string | null;

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ name: 'public_name', type: 'boolean', default: false })
  publicName!: boolean;

  @Column({ type: 'boolean', default: false })
  subscribe!: boolean;

  @Column({ name: 'referrer_source', type: 'varchar', length: 100, nullable: true })
  referrerSource!: string | null;

  @Column({ name: 'referrer_medium', type: 'varchar', length: 100, nullable: true })
  referrerMedium!: string | null;

  @Column({ name: 'referrer_campaign', type: 'varchar', length: 100, nullable: true })
  referrerCampaign!: string | null;

  @Column({ name: 'referrer_url', type: 'varchar', length: 2000, nullable: true })
  referrerUrl!: string | null;

  @Column({ name: 'consent_text_version', type: 'varchar', length: 32 })
  consentTextVersion!: string;

  /** How many times the person asked to sign (a repeat may resend the confirmation). */
  @Column({ name: 'sign_requests', type: 'int', default: 1 })
  signRequests!: number;

  /** How many of those requests a worker has decided on. */
  @Column({ name: 'handled_requests', type: 'int', default: 0 })
  handledRequests!: number;

  /** When the last confirmation email was queued; the reminder waits 24 hours from it. */
  @Column({ name: 'mailed_at', type: 'timestamptz', nullable: true })
  mailedAt!: Date | null;

  /** Set once, as the lock that makes the reminder a one-off. */
  @Column({ name: 'reminded_at', type: 'timestamptz', nullable: true })
  remindedAt!: Date | null;

  /**
   * The last change a sync client should see (status, person, typed details), kept by a
   * trigger (migration AddModifiedAt); the worker's bookkeeping (requests counted, mailed,
   * reminded) does not move it.
   */
  @Column({ name: 'modified_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  modifiedAt!: Date;
}
