import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('lists')
@Index('UQ_lists_default', ['isDefault'], { unique: true, where: '"is_default"' })
export class MailingList {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index('UQ_lists_slug', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
