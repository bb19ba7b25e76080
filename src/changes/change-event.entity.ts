import { Column, Entity, Generated, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One change the outside world may hear of (`person.confirmed`, `signature.confirmed`...),
 * written in the same transaction as the change itself: the outbox of the change feed. It
 * holds ids only (`data`: personId, petitionId, eventId, mailingId...), never personal
 * data, so it may outlive an erasure. `seq` orders the feed; the relay publishes the rows to
 * the feed's subscribers (webhooks) and marks them published. Kept CHANGE_FEED_RETENTION_DAYS.
 */
@Entity('change_events')
// The relay's scan: what is not published yet, in feed order.
@Index('IDX_change_events_unpublished', ['seq'], { where: '"published_at" IS NULL' })
@Index('IDX_change_events_created', ['createdAt'])
export class ChangeEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Feed order: taken at insert, inside the change's transaction. */
  @Index('UQ_change_events_seq', { unique: true })
  @Column({ type: 'bigint' })
  @Generated('increment')
  seq!: string;

  @Column({ type: 'varchar', length: 40 })
  type!: string;

  /** The person the change is about, if any: deliveries to one receiver keep this person's changes in order. */
  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  /** Ids only. */
  @Column({ type: 'jsonb' })
  data!: Record<string, string>;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  createdAt!: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;
}
