import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** One person per email address, matched trimmed and without regard to case. */
@Entity('people')
// Organizers' filters and keyset paging (newest first).
@Index('IDX_people_created', ['createdAt', 'id'])
// Country first, then the keyset order: a country filter combined with a rarer one scans
// only that country's people, newest first, instead of everyone.
@Index('IDX_people_country_created', ['country', 'createdAt', 'id'])
// Name prefix search: lower(given_name|family_name) text_pattern_ops, expression indexes
// TypeORM cannot describe, created by hand in migration AddPeopleSearch.
@Index('IDX_people_given_name_prefix', { synchronize: false })
@Index('IDX_people_family_name_prefix', { synchronize: false })
@Index('IDX_people_language', ['language'])
// Incremental sync: keyset paging on (modified_at, id), oldest change first.
@Index('IDX_people_modified', ['modifiedAt', 'id'])
export class Person {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** As the person typed it (trimmed). */
  @Column({ type: 'text' })
  email!: string;

  /** Lower-cased, trimmed: the identity of the person. */
  @Index('UQ_people_email_normalized', { unique: true })
  @Column({ name: 'email_normalized', type: 'text' })
  emailNormalized!: string;

  @Column({ name: 'given_name', type: 'text', nullable: true })
  givenName!: string | null;

  @Column({ name: 'family_name', type: 'text', nullable: true })
  familyName!: string | null;

  @Column({ type: 'varchar', length: 2, nullable: true })
  country!: string | null;

  @Column({ name: 'postal_code', type: 'varchar', length: 20, nullable: true })
  postalCode!: string | null;

  /**
   * A protected person (docs/safety.md): a proven request of theirs came from a country in
   * PROTECTED_COUNTRIES or asked to protect their identity. Never cleared by a later request;
   * no postal code is kept, and exports mark them.
   */
  @Column({ type: 'boolean', default: false })
  protected!: boolean;

  @Column({ type: 'varchar', length: 35, nullable: true })
  language!: string | null;

  /** Set the first time the person proves they own the address; null until then. */
  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  /**
   * Set when an organizer's import created or updated the person: such a person is kept by
   * the retention job even though they never confirmed an address by email themselves.
   */
  @Column({ name: 'imported_at', type: 'timestamptz', nullable: true })
  importedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  /**
   * The last change a sync client should see: kept by database triggers (see the migration
   * AddModifiedAt), not by the code, so no write path can forget it. Bumped when the
   * person's own details, confirmation or import mark change and when their subscriptions
   * or tags do; bookkeeping writes (no-op upserts) leave it alone. Erasure leaves a row in
   * `erased_people` instead.
   */
  @Column({ name: 'modified_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  modifiedAt!: Date;
}
