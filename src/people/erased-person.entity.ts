import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A tombstone: the id of a person whose row is gone (erased, or purged by retention), so an
 * incremental sync (`?modifiedSince=`) can delete them downstream. Only the id and when:
 * nothing that could tell who they were. Written by a trigger on `people` (migration
 * AddModifiedAt), so every path that deletes a person leaves one; kept
 * CHANGE_FEED_RETENTION_DAYS, then purged by the retention job.
 */
@Entity('erased_people')
@Index('IDX_erased_people_erased', ['erasedAt', 'id'])
export class ErasedPerson {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'erased_at', type: 'timestamptz', default: () => 'clock_timestamp()' })
  erasedAt!: Date;
}
