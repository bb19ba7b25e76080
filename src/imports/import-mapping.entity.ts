import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The column mapping last used for a header line, so the next file with the same header
 * (the same export from the same tool, month after month) comes pre-mapped. Keyed by the
 * header's cells lower-cased and trimmed, joined with a unit separator; shared by all
 * organizers (it holds column names, not people).
 */
@Entity('import_mappings')
export class ImportMapping {
  @PrimaryColumn({ name: 'header_key', type: 'text' })
  headerKey!: string;

  @Column({ type: 'jsonb' })
  mapping!: Array<string | null>;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
