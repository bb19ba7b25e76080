import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('lists')
@Index('UQ_lists_default', ['isDefault'], { unique: true, where: '"is_default"' })
// Sign-ups that name no list join the default one: it is always public.
@Check('CHK_lists_default_public', '"is_public" OR NOT "is_default"')
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

  /**
   * Whether a public request (a sign-up's `lists`, a petition's or an RSVP's `subscribe`) may
   * name it. A private list (vetted people, say) is joined only through an organizer: an
   * import, or an organizer-side request. New lists are private unless the organizer says so.
   */
  @Column({ name: 'is_public', type: 'boolean', default: false })
  isPublic!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
