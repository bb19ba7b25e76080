import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Person } from './person.entity';

/**
 * Proof of consent: which form and which version of its text, through which action, when
 * it was given and when it was confirmed. Never an IP address; at most a keyed hash of one.
 */
@Entity('consent_records')
@Index('IDX_consent_records_person', ['personId'])
export class ConsentRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_consent_records_person' })
  person?: Person;

  /** What the person did: `signup`, `petition-signature`, `rsvp`, `import`... */
  @Column({ type: 'varchar', length: 32 })
  action!: string;

  /** The form or channel it came through (the `source` given with the request). */
  @Column({ type: 'varchar', length: 100 })
  form!: string;

  @Column({ name: 'text_version', type: 'varchar', length: 32 })
  textVersion!: string;

  /** Slugs of the lists the consent covers. */
  @Column({ name: 'list_slugs', type: 'text', array: true, default: () => "'{}'" })
  listSlugs!: string[];

  /** The request (sign-up, signature...) the consent was given with. */
  @Column({ name: 'request_id', type: 'uuid', nullable: true })
  requestId!: string | null;

  @Column({ name: 'ip_hash', type: 'varchar', length: 64, nullable: true })
  ipHash!: string | null;

  /** For `import` consent: the organizer who vouched that the consent had been obtained. */
  @Column({ name: 'vouched_by', type: 'uuid', nullable: true })
  vouchedBy!: string | null;

  @Column({ name: 'given_at', type: 'timestamptz' })
  givenAt!: Date;

  @CreateDateColumn({ name: 'confirmed_at', type: 'timestamptz' })
  confirmedAt!: Date;
}
