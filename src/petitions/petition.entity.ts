import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const PETITION_STATUSES = ['draft', 'open', 'closed'] as const;
export type PetitionStatus = (typeof PETITION_STATUSES)[number];

export interface PetitionContent {
  title: string;
  summary: string;
  body: string;
}

/** Content in other languages, keyed by primary language subtag (`ar`, `fa`...). */
export type PetitionTranslations = Record<string, PetitionContent>;

/**
 * A petition as its organizers wrote it. Its signature count is deliberately not here:
 * a row updated on every signature is the hot row that stops reads (see README.md).
 */
@Entity('petitions')
@Check('CHK_petitions_status', `"status" IN ('draft', 'open', 'closed')`)
@Check('CHK_petitions_goal', `"goal" > 0`)
export class Petition {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('UQ_petitions_slug', { unique: true })
  @Column({ type: 'varchar', length: 100 })
  slug!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'text' })
  body!: string;

  /** Who the petition is addressed to. */
  @Column({ type: 'text' })
  target!: string;

  @Column({ type: 'int' })
  goal!: number;

  /** The organizer fixed the goal: no automatic next goal once it is reached. */
  @Column({ name: 'goal_fixed', type: 'boolean', default: false })
  goalFixed!: boolean;

  @Column({ type: 'varchar', length: 35 })
  language!: string;

  @Index('IDX_petitions_status')
  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status!: PetitionStatus;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  translations!: PetitionTranslations;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
