import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * The confirmed-signature count of a petition, kept off the petitions row and advanced by
 * the worker's aggregator a batch at a time: never one UPDATE per signature.
 */
@Entity('petition_counts')
export class PetitionCount {
  @PrimaryColumn({ name: 'petition_id', type: 'uuid' })
  petitionId!: string;

  @Column({ name: 'confirmed_count', type: 'bigint', default: 0 })
  confirmedCount!: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/**
 * One confirmation not yet added to its petition's count: an append per confirmation (no
 * shared row to fight over), consumed by the aggregator with DELETE ... RETURNING, which
 * only takes committed rows, so every confirmation is counted exactly once.
 */
@Entity('petition_count_deltas')
@Index('IDX_petition_count_deltas_petition', ['petitionId'])
export class PetitionCountDelta {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id!: string;

  @Column({ name: 'petition_id', type: 'uuid' })
  petitionId!: string;

  @Column({ type: 'int' })
  delta!: number;
}
