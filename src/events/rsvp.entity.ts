import { Check, Column, Entity, Index, JoinColumn, ManyToOne, UpdateDateColumn } from 'typeorm';
import { ActionRecordColumns } from '../actions/action-record.columns';
import { CampaignEvent } from './campaign-event.entity';

export const RSVP_STATUSES = ['pending', 'going', 'waitlisted', 'refused', 'cancelled'] as const;
export type RsvpStatus = (typeof RSVP_STATUSES)[number];

/**
 * One person's answer to one event. The details typed with the RSVP stay here and reach
 * the person only when the emailed link is used, and only while the person is unconfirmed.
 * Once the person was erased the row keeps only what seat counts need (status, guests), see
 * `EventsRepository.anonymiseRsvpsOf`. `confirmed_at` (the link used) is the arrival order
 * of the seat decision.
 */
@Entity('rsvps')
@Index('UQ_rsvps_event_person', ['eventId', 'personId'], { unique: true })
@Index('IDX_rsvps_event_status', ['eventId', 'status'])
@Index('IDX_rsvps_event_cursor', ['eventId', 'createdAt', 'id'])
@Index('IDX_rsvps_person', ['personId'])
// The reconciler looks for requests whose job never ran.
// The retention scan: RSVPs whose link was never used.
@Index('IDX_rsvps_pending_updated', ['updatedAt'], { where: `"status" = 'pending'` })
@Index('IDX_rsvps_unprocessed', ['updatedAt'], { where: `"processed_round" < "request_round"` })
// Incremental sync of one event's RSVPs: keyset paging on (modified_at, id).
@Index('IDX_rsvps_event_modified', ['eventId', 'modifiedAt', 'id'])
@Check('CHK_rsvps_status', `"status" IN ('pending', 'going', 'waitlisted', 'refused', 'cancelled')`)
@Check('CHK_rsvps_guests', `"guests" BETWEEN 0 AND 10`)
export class Rsvp extends ActionRecordColumns('rsvps') {
  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @ManyToOne(() => CampaignEvent, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'FK_rsvps_event' })
  event?: CampaignEvent;

  /** As typed with this RSVP (trimmed); null after erasure. */
  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'boolean', default: false })
  subscribe!: boolean;

  @Column({ type: 'int', default: 0 })
  guests!: number;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status!: RsvpStatus;

  /** Requests for this RSVP so far; the worker mails each one round at most once. */
  @Column({ name: 'request_round', type: 'int', default: 1 })
  requestRound!: number;

  /** The last request round the worker has decided on (mailed, throttled, suppressed...). */
  @Column({ name: 'processed_round', type: 'int', default: 0 })
  processedRound!: number;

  /** Position in the waitlist: taken from a sequence under the event's lock, so arrival order. */
  @Column({ name: 'waitlist_position', type: 'bigint', nullable: true })
  waitlistPosition!: string | null;

  /** When the RSVP last became `going` (reminders due before this are not sent late). */
  @Column({ name: 'going_at', type: 'timestamptz', nullable: true })
  goingAt!: Date | null;

  @Column({ name: 'cancel_token_id', type: 'uuid', nullable: true })
  cancelTokenId!: string | null;

  @Column({ type: 'boolean', nullable: true })
  attended!: boolean | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true })
  cancelledAt!: Date | null;

  /**
   * The last change a sync client should see (status, seat, attendance, typed details),
   * kept by a trigger (migration AddModifiedAt); request rounds and tokens do not move it.
   */
  @Column({ name: 'modified_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  modifiedAt!: Date;
}
