import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Organizer } from '../organizers/organizer.entity';
import type { Role } from '../organizers/organizer.entity';

/**
 * A signed-in organizer's console session. Only a SHA-256 hash of the session id (the
 * cookie's value) is stored: a copy of this table lets nobody in. The role is the one the
 * organizer had at sign-in; a session whose organizer's role changed, or was revoked, is
 * no session (checked on every request, see ConsoleSessionsRepository.findLive).
 */
@Entity('console_sessions')
export class ConsoleSessionRecord {
  @PrimaryColumn({ name: 'id_hash', type: 'varchar', length: 64 })
  idHash!: string;

  @Index('IDX_console_sessions_organizer')
  @Column({ name: 'organizer_id', type: 'uuid' })
  organizerId!: string;

  @ManyToOne(() => Organizer, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'organizer_id', foreignKeyConstraintName: 'FK_console_sessions_organizer' })
  organizer?: Organizer;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @Column({ type: 'varchar', length: 5, default: 'en' })
  language!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'last_seen_at', type: 'timestamptz' })
  lastSeenAt!: Date;

  /** The absolute end: created_at + CONSOLE_SESSION_MAX_HOURS, whatever the activity. */
  @Index('IDX_console_sessions_expires')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
