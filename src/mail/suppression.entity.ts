import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Addresses never to be mailed again (hard bounce, complaint, erasure), kept only as a
 * keyed hash so an erased person's address is not stored in the clear.
 */
@Entity('suppressions')
export class Suppression {
  @PrimaryColumn({ name: 'email_hash', type: 'varchar', length: 64 })
  emailHash!: string;

  @Column({ type: 'varchar', length: 32 })
  reason!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
