import { Check, Column, Entity, Index } from 'typeorm';
import { ActionRecordColumns } from '../actions/action-record.columns';

export const SIGNUP_STATUSES = ['received', 'mailed', 'suppressed', 'throttled', 'confirmed'] as const;
export type SignupStatus = (typeof SIGNUP_STATUSES)[number];

/**
 * A "join the movement" request exactly as it came in. The API only stores it; the worker
 * decides what it means for the person (new, pending, confirmed...), so neither the answer
 * nor its timing says whether the address is known. Its details reach the person only when
 * the emailed link is used.
 */
@Entity('signups')
@Index('IDX_signups_email_created', ['emailNormalized', 'createdAt'])
// A person's sign-ups: their record (the console's timeline, subject access) and erasure.
@Index('IDX_signups_person', ['personId'])
// The reconciler looks for sign-ups whose job never ran.
@Index('IDX_signups_received', ['createdAt'], { where: `"status" = 'received'` })
// The retention job purges sign-ups never confirmed.
@Index('IDX_signups_unconfirmed_created', ['createdAt'], { where: `"status" <> 'confirmed'` })
@Check('CHK_signups_status', `"status" IN ('received', 'mailed', 'suppressed', 'throttled', 'confirmed')`)
export class Signup extends ActionRecordColumns('signups') {
  @Column({ type: 'text' })
  email!: string;

  @Column({ name: 'email_normalized', type: 'text' })
  emailNormalized!: string;

  @Column({ name: 'postal_code', type: 'varchar', length: 20, nullable: true })
  postalCode!: string | null;

  @Column({ name: 'list_slugs', type: 'text', array: true, default: () => "'{}'" })
  listSlugs!: string[];

  @Column({ type: 'varchar', length: 100, nullable: true })
  source!: string | null;

  @Column({ name: 'consent_text_version', type: 'varchar', length: 32 })
  consentTextVersion!: string;

  @Column({ type: 'varchar', length: 16, default: 'received' })
  status!: SignupStatus;

  @Column({ name: 'processed_at', type: 'timestamptz', nullable: true })
  processedAt!: Date | null;
}
