import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Organizer } from '../organizers/organizer.entity';
import type { Role } from '../organizers/organizer.entity';

/**
 * A one-time invitation to enroll console credentials (valid 72 hours, used once). The URL's
 * token is derived from the id (HMAC under APP_SECRET), so the worker can mail it from the id
 * alone; only its SHA-256 hash is stored. A set-up invitation (`organizer_id` null) is the
 * first admin's, made by `npm start` on an install with no organizer: its invitee types
 * the email address the admin is created with.
 */
@Entity('console_invitations')
@Check('CHK_console_invitations_role', `"role" IN ('admin', 'organizer', 'viewer')`)
export class ConsoleInvitation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('IDX_console_invitations_organizer')
  @Column({ name: 'organizer_id', type: 'uuid', nullable: true })
  organizerId!: string | null;

  @ManyToOne(() => Organizer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organizer_id', foreignKeyConstraintName: 'FK_console_invitations_organizer' })
  organizer?: Organizer;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @Index('UQ_console_invitations_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  /** The admin who invited; null for the command line and the set-up link. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;
}
