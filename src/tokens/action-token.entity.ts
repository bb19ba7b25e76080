import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A link token sent by email. Only its SHA-256 is stored; the token itself is an HMAC of
 * the row's random nonce under APP_SECRET, so a worker that crashed after committing the row can render
 * the same link again, and a copy of the database alone cannot forge one.
 */
@Entity('action_tokens')
export class ActionToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('UQ_action_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash!: string;

  /** 128 random bits mixed into the HMAC, so the token does not rest on the uuid's 122. */
  @Column({ type: 'varchar', length: 32 })
  nonce!: string;

  @Column({ type: 'varchar', length: 32 })
  purpose!: string;

  @Column({ name: 'person_id', type: 'uuid', nullable: true })
  personId!: string | null;

  /** The record the token acts on (a sign-up, a signature, an RSVP...). */
  @Column({ name: 'subject_id', type: 'uuid' })
  subjectId!: string;

  @Index('IDX_action_tokens_expires')
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
