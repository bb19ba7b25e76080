import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An organizer's outbound webhook: where to POST which change events. The signing secret is
 * shown once, at creation, and stored encrypted under a key derived from APP_SECRET (it must
 * be readable to sign; see webhook-secrets.ts).
 */
@Entity('webhooks')
@Index('IDX_webhooks_created', ['createdAt', 'id'])
export class Webhook {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  url!: string;

  /** Change types it receives (`person.confirmed`...). */
  @Column({ type: 'text', array: true })
  events!: string[];

  /** Payloads carry the person's address and names too (only an admin may ask for it). */
  @Column({ name: 'include_personal_data', type: 'boolean', default: false })
  includePersonalData!: boolean;

  /** AES-256-GCM of the `whsec_` secret: base64url of iv, tag and ciphertext. */
  @Column({ name: 'secret_encrypted', type: 'text' })
  secretEncrypted!: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Set once deliveries kept failing: nothing more is sent to it. */
  @Column({ name: 'disabled_at', type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;
}
