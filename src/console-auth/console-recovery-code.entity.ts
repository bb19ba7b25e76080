import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organizer } from '../organizers/organizer.entity';

/** One of an organizer's ten one-time recovery codes, as a keyed hash; shown once, used once. */
@Entity('console_recovery_codes')
export class ConsoleRecoveryCode {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('IDX_console_recovery_codes_organizer')
  @Column({ name: 'organizer_id', type: 'uuid' })
  organizerId!: string;

  @ManyToOne(() => Organizer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organizer_id', foreignKeyConstraintName: 'FK_console_recovery_codes_organizer' })
  organizer?: Organizer;

  @Index('UQ_console_recovery_codes_hash', { unique: true })
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash!: string;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
