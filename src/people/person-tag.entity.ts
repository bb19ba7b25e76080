import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Person } from './person.entity';

/** An organizer's label on a person (`volunteer`, `donor-2026`...). Slug-shaped, so never personal text. */
@Entity('person_tags')
// The tag filter looks people up by tag; the primary key serves "tags of a person".
@Index('IDX_person_tags_tag', ['tag', 'personId'])
export class PersonTag {
  @PrimaryColumn({ name: 'person_id', type: 'uuid' })
  personId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  tag!: string;

  @ManyToOne(() => Person, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'person_id', foreignKeyConstraintName: 'FK_person_tags_person' })
  person?: Person;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
