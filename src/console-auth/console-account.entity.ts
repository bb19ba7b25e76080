import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { Organizer } from '../organizers/organizer.entity';

/**
 * An organizer's console sign-in, besides its passkeys: the fallback password (scrypt,
 * memory-hard) and TOTP secret (AES-256-GCM under a key derived from APP_SECRET), and the
 * console language the organizer chose. No row: the organizer never enrolled.
 */
@Entity('console_accounts')
export class ConsoleAccount {
  @PrimaryColumn({ name: 'organizer_id', type: 'uuid' })
  organizerId!: string;

  @OneToOne(() => Organizer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organizer_id', foreignKeyConstraintName: 'FK_console_accounts_organizer' })
  organizer?: Organizer;

  /** `scrypt$N$r$p$salt$hash` (base64url), or null for an organizer with passkeys only. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  /** The TOTP secret, encrypted (`iv.tag.ciphertext`, base64url). */
  @Column({ name: 'totp_secret', type: 'text', nullable: true })
  totpSecret!: string | null;

  /** The last 30-second step a TOTP code was accepted for: a code is never accepted twice. */
  @Column({ name: 'totp_last_step', type: 'bigint', nullable: true })
  totpLastStep!: string | null;

  @Column({ type: 'varchar', length: 5, default: 'en' })
  language!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
