import { CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A tag an OSDI client created (`POST /api/osdi/v1/tags`) before tagging anyone with it. The
 * OSDI tag collection is these and every tag some person carries (`person_tags`); a tag's id
 * is derived from its name (see `OsdiRepository`), so both kinds have one stable id.
 */
@Entity('tags')
export class Tag {
  /** Slug-shaped like `person_tags.tag`: an organizer's label, never personal text. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
