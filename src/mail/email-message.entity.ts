import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const EMAIL_MESSAGE_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type EmailMessageStatus = (typeof EMAIL_MESSAGE_STATUSES)[number];

/**
 * One transactional email to one person. The row exists before the email is sent; its
 * status is the lock that keeps a retried or duplicated job from sending it twice:
 * `pending` may be sent, `sending` belongs to the one worker that took it (and is never
 * taken again), `sent` and `failed` are final.
 */
@Entity('email_messages')
@Index('IDX_email_messages_person_kind_created', ['personId', 'kind', 'createdAt'])
// The reconciler looks for messages whose job never ran or whose sender died.
@Index('IDX_email_messages_unsent', ['createdAt'], { where: `"status" IN ('pending', 'sending')` })
@Check('CHK_email_messages_status', `"status" IN ('pending', 'sending', 'sent', 'failed')`)
export class EmailMessage {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  /** What the email is about (e.g. `signup:<id>`): one email per key, ever. */
  @Index('UQ_email_messages_dedupe_key', { unique: true })
  @Column({ name: 'dedupe_key', type: 'varchar', length: 200 })
  dedupeKey!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ type: 'varchar', length: 35 })
  language!: string;

  /** IDs the renderer needs (token id, sign-up id...): never rendered content. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  params!: Record<string, string>;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: EmailMessageStatus;

  @Column({ type: 'int', default: 0 })
  attempts!: number;

  @Column({ name: 'locked_at', type: 'timestamptz', nullable: true })
  lockedAt!: Date | null;

  /**
   * Counted as sent without knowing: its sender was handed to SMTP, then could not record the
   * answer (killed, or PostgreSQL away until it stopped). Never sent again (see src/mail/README.md).
   */
  @Column({ type: 'boolean', default: false })
  uncertain!: boolean;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @Column({ name: 'provider_message_id', type: 'text', nullable: true })
  providerMessageId!: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
