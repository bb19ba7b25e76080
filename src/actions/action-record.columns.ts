import { Column, CreateDateColumn, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Person } from '../people/person.entity';

/** The columns every action kind's record has (see `ActionRecordColumns`). */
export interface ActionRecordRow {
  id: string;
  personId: string | null;
  person?: Person;
  givenName: string | null;
  familyName: string | null;
  country: string | null;
  language: string | null;
  ipHash: string | null;
  /** A protected person's request (PROTECTED_COUNTRIES or "protect my identity"): docs/safety.md. */
  protected: boolean;
  createdAt: Date;
  confirmedAt: Date | null;
}

/**
 * The columns an action kind's record shares with every other kind, for its entity to
 * extend: `class Signup extends ActionRecordColumns('signups')`. The details typed with the
 * request stay on the record (they reach the person only when the emailed link is used);
 * `person_id` is null until the worker attaches the person (a sign-up) and again once the
 * person was erased (an anonymous signature or seat). Its foreign key is ON DELETE CASCADE:
 * a person deleted by any path that skipped the erasure steps takes the typed details along
 * instead of leaving them unlinked.
 */
export function ActionRecordColumns(table: string): abstract new () => ActionRecordRow {
  abstract class ActionRecordBase implements ActionRecordRow {
    @PrimaryGeneratedColumn('uuid')
    id!: string;

    @Column({ name: 'person_id', type: 'uuid', nullable: true })
    personId!: string | null;

    @ManyToOne(() => Person, { onDelete: 'CASCADE' })
    @JoinColumn({ name: 'person_id', foreignKeyConstraintName: `FK_${table}_person` })
    person?: Person;

    /** As typed with the request (trimmed); null after erasure. */
    @Column({ name: 'given_name', type: 'text', nullable: true })
    givenName!: string | null;

    @Column({ name: 'family_name', type: 'text', nullable: true })
    familyName!: string | null;

    @Column({ type: 'varchar', length: 2, nullable: true })
    country!: string | null;

    @Column({ type: 'varchar', length: 35, nullable: true })
    language!: string | null;

    /** Keyed hash of the client address of the (latest) request, for the consent record: never the address. */
    @Column({ name: 'ip_hash', type: 'varchar', length: 64, nullable: true })
    ipHash!: string | null;

    /**
     * The request of a protected person (country in PROTECTED_COUNTRIES, or `protectIdentity`):
     * never named in public, no postal code, no IP hash, a short retention (docs/safety.md).
     */
    @Column({ type: 'boolean', default: false })
    protected!: boolean;

    @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
    createdAt!: Date;

    /** When the emailed link was used. */
    @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
    confirmedAt!: Date | null;
  }
  return ActionRecordBase;
}
