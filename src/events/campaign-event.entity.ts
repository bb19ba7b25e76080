import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const EVENT_STATUSES = ['draft', 'published', 'cancelled'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

/**
 * A summit or local gathering people RSVP to. `Event` is taken by Node, hence the name.
 * Seats are never counted in a column: under the event row's lock they are summed from
 * the `going` RSVPs, so no counter can drift from the rows it would describe.
 */
@Entity('events')
@Index('IDX_events_status_starts', ['status', 'startsAt'])
@Index('IDX_events_cursor', ['createdAt', 'id'])
@Check('CHK_events_status', `"status" IN ('draft', 'published', 'cancelled')`)
@Check('CHK_events_times', `"ends_at" > "starts_at"`)
@Check('CHK_events_capacity', `"capacity" IS NULL OR "capacity" > 0`)
export class CampaignEvent {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('UQ_events_slug', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  slug!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ name: 'starts_at', type: 'timestamptz' })
  startsAt!: Date;

  @Column({ name: 'ends_at', type: 'timestamptz' })
  endsAt!: Date;

  /** IANA zone name (`Europe/Paris`): how times are shown in emails and the .ics. */
  @Column({ type: 'varchar', length: 64 })
  timezone!: string;

  @Column({ name: 'location_name', type: 'text', nullable: true })
  locationName!: string | null;

  @Column({ name: 'location_address', type: 'text', nullable: true })
  locationAddress!: string | null;

  @Column({ name: 'location_online', type: 'boolean', default: false })
  locationOnline!: boolean;

  @Column({ name: 'location_url', type: 'text', nullable: true })
  locationUrl!: string | null;

  /** The address is told only to attendees who are going (never in public answers). */
  @Column({ name: 'location_private', type: 'boolean', default: false })
  locationPrivate!: boolean;

  /** Seats, counting guests; null: no limit. */
  @Column({ type: 'int', nullable: true })
  capacity!: number | null;

  @Column({ type: 'boolean', default: false })
  waitlist!: boolean;

  /** Minutes before the start at which going attendees are reminded. */
  @Column({ type: 'int', array: true, default: () => "'{}'" })
  reminders!: number[];

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status!: EventStatus;

  /** Bumped whenever what an attendee was told changes (time, place): the .ics SEQUENCE. */
  @Column({ type: 'int', default: 0 })
  revision!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;
}
