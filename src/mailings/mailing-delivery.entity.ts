import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Person } from '../people/person.entity';
import { Mailing } from './mailing.entity';

export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One newsletter to one person, stored before anything is sent. The unique key makes a
 * second row for the same person impossible; the status is the send lock
 * (pending → sending → sent), taken one message at a time.
 */
@Entity('mailing_deliveries')
@Index('UQ_mailing_deliveries_mailing_person', ['mailingId', 'personId'], { unique: true })
// A batch claims its next pending delivery; small, since rows leave it once settled.
@Index('IDX_mailing_deliveries_pending', ['mailingId', 'batch', 'personId'], { where: `"status" = 'pending'` })
// "Is anything of this mailing left?" after every batch, without reading a million rows.
@Index('IDX_mailing_deliveries_unsettled', ['mailingId'], { where: `"status" IN ('pending', 'sending')` })
// Bounce and complaint reports find the person's latest delivery.
@Index('IDX_mailing_deliveries_person_sent', ['personId', 'sentAt'])
@Check('CHK_mailing_deliveries_status', `"status" IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'cancelled')`)
export class MailingDelivery {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'mailing_id', type: 'uuid' })
  mailingId!: string;

  @ManyToOne(() => Mailing, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mailing_id', foreignKeyConstraintName: 'FK_mailing_deliveries_mailing' })
  mailing?: Mailing;

  /** NULL once the person is erased: the row stays as an anonymous count in the mailing's stats. */
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_mailing_deliveries_person' })
  person?: Person;

  @Column({ type: 'int' })
  batch!: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: DeliveryStatus;

  /** The content variant sent (set when sent). */
  @Column({ type: 'varchar', length: 35, nullable: true })
  language!: string | null;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'locked_at', type: 'timestamptz', nullable: true })
  lockedAt!: Date | null;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  /**
   * The worker sending it died between handing it to SMTP and recording the answer: it is
   * counted as sent and never retried (a retry could deliver it twice). See README.md.
   */
  @Column({ type: 'boolean', default: false })
  uncertain!: boolean;

  @Column({ name: 'bounced_at', type: 'timestamptz', nullable: true })
  bouncedAt!: Date | null;

  @Column({ name: 'complained_at', type: 'timestamptz', nullable: true })
  complainedAt!: Date | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
