import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { Webhook } from './webhook.entity';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One attempt to deliver: when, and the receiver's HTTP status (null: no answer came). */
export interface DeliveryAttempt {
  at: string;
  responseStatus: number | null;
}

/**
 * One event owed to one webhook. Its id is the `webhook-id` header of every attempt, so a
 * receiver de-duplicates retries by it. The row is the intent: a delivery committed here is
 * attempted until it succeeds or its retries are spent, whatever Redis lost (the sweeper
 * re-drives it). `data` holds ids only; personal data, when the webhook asks for it, is read
 * at delivery time.
 */
@Entity('webhook_deliveries')
@Unique('UQ_webhook_deliveries_change', ['webhookId', 'changeId'])
@Index('IDX_webhook_deliveries_webhook_created', ['webhookId', 'createdAt', 'id'])
// The sweeper: pending deliveries whose next attempt is due.
@Index('IDX_webhook_deliveries_due', ['nextAttemptAt'], { where: `"status" = 'pending'` })
// Commit order per person: an earlier pending delivery to the same webhook holds the later ones.
@Index('IDX_webhook_deliveries_person_order', ['webhookId', 'personId', 'changeSeq'], { where: `"status" = 'pending'` })
@Check('CHK_webhook_deliveries_status', `"status" IN ('pending', 'delivered', 'failed')`)
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'webhook_id', type: 'uuid' })
  webhookId!: string;

  @ManyToOne(() => Webhook, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_id', foreignKeyConstraintName: 'FK_webhook_deliveries_webhook' })
  webhook?: Webhook;

  /** The change event (null for a test delivery). */
  @Column({ name: 'change_id', type: 'uuid', nullable: true })
  changeId!: string | null;

  /** The change's place in the feed: the order deliveries about one person keep. */
  @Column({ name: 'change_seq', type: 'bigint', nullable: true })
  changeSeq!: string | null;

  @Column({ type: 'varchar', length: 40 })
  type!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  @Column({ type: 'jsonb' })
  data!: Record<string, string>;

  /** When the event happened: the payload's `timestamp`, the same on every attempt. */
  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: DeliveryStatus;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  attempts!: DeliveryAttempt[];

  @Column({ name: 'attempt_count', type: 'int', default: 0 })
  attemptCount!: number;

  @Column({ name: 'next_attempt_at', type: 'timestamptz', default: () => 'now()' })
  nextAttemptAt!: Date;

  /** Held by the worker attempting it (a killed worker's lease runs out and the sweeper re-drives). */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
