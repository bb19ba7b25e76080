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

  /**
   * Which APP_SECRET keyed the hash (`keyIdOf`): null for hashes made before the first
   * rotation. `security:rotate-secret` re-keys those it can (docs/safety.md).
   */
  @Column({ name: 'key_id', type: 'varchar', length: 16, nullable: true })
  keyId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
