import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const MAILING_STATUSES = ['draft', 'scheduled', 'sending', 'sent', 'cancelled'] as const;
export type MailingStatus = (typeof MAILING_STATUSES)[number];

/** One language's version of a newsletter, as the organizer wrote it (a template). */
export interface MailingVariant {
  subject: string;
  html: string;
  text?: string;
  /** Subject for protected recipients (docs/safety.md): a watched inbox learns little from it. */
  protectedSubject?: string;
  /** Sender's display name for protected recipients (MAIL_FROM's address, this name). */
  protectedFromName?: string;
}

/**
 * A newsletter. Its status is the lock of its lifecycle (see README.md): only a `draft`
 * starts, only a `sending` mailing sends, and planning progress (`planned_through`) is
 * stored so a crashed planner resumes where it stopped.
 */
@Entity('mailings')
@Check('CHK_mailings_status', `"status" IN ('draft', 'scheduled', 'sending', 'sent', 'cancelled')`)
// The scheduler looks for scheduled mailings that are due, and sending ones that stalled.
@Index('IDX_mailings_active', ['status', 'sendAt'], { where: `"status" IN ('scheduled', 'sending')` })
export class Mailing {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status!: MailingStatus;

  /** Audience: confirmed subscribers of these lists... */
  @Column({ name: 'list_ids', type: 'uuid', array: true })
  listIds!: string[];

  /** ...narrowed (never widened) by these, when not empty. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  countries!: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  languages!: string[];

  @Column({ name: 'petition_ids', type: 'uuid', array: true, default: () => "'{}'" })
  petitionIds!: string[];

  @Column({ name: 'event_ids', type: 'uuid', array: true, default: () => "'{}'" })
  eventIds!: string[];

  /** `{LANG: {subject, html, text?}}`. */
  @Column({ type: 'jsonb' })
  content!: Record<string, MailingVariant>;

  @Column({ name: 'default_language', type: 'varchar', length: 35 })
  defaultLanguage!: string;

  @Column({ name: 'send_at', type: 'timestamptz', nullable: true })
  sendAt!: Date | null;

  /** The last person id whose delivery row is stored (keyset position of the planner). */
  @Column({ name: 'planned_through', type: 'uuid', nullable: true })
  plannedThrough!: string | null;

  /** Batches stored so far; batch n holds the n-th page of recipients. */
  @Column({ name: 'planned_batches', type: 'int', default: 0 })
  plannedBatches!: number;

  /** Set when every recipient's delivery row is stored. */
  @Column({ name: 'planned_at', type: 'timestamptz', nullable: true })
  plannedAt!: Date | null;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
