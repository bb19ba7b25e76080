import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organizer } from '../organizers/organizer.entity';

/** A WebAuthn credential (passkey) of an organizer: its public key, never a secret. */
@Entity('console_passkeys')
export class ConsolePasskey {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('IDX_console_passkeys_organizer')
  @Column({ name: 'organizer_id', type: 'uuid' })
  organizerId!: string;

  @ManyToOne(() => Organizer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organizer_id', foreignKeyConstraintName: 'FK_console_passkeys_organizer' })
  organizer?: Organizer;

  /** The credential id, base64url. */
  @Index('UQ_console_passkeys_credential', { unique: true })
  @Column({ name: 'credential_id', type: 'text' })
  credentialId!: string;

  @Column({ name: 'public_key', type: 'bytea' })
  publicKey!: Buffer;

  @Column({ type: 'bigint', default: 0 })
  counter!: string;

  /** Comma-separated authenticator transports (usb, internal, hybrid...). */
  @Column({ type: 'text', default: '' })
  transports!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
