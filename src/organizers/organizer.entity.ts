import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ROLES = ['admin', 'organizer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

@Entity('organizers')
@Check('CHK_organizers_role', `"role" IN ('admin', 'organizer', 'viewer')`)
export class Organizer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('UQ_organizers_email', { unique: true })
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
