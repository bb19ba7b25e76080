import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface CanaryTrace {
  auditId: string;
  kind: string;
  organizerId: string | null;
  at: Date;
}

export interface SightingDetails extends CanaryTrace {
  source: string;
  seenAt: Date;
}

@Injectable()
export class CanariesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(emails: string[], auditId: string, kind: string, organizerId: string | null): Promise<void> {
    await this.dataSource.query(`INSERT INTO export_canaries (email, audit_id, kind, organizer_id) SELECT unnest($1::text[]), $2, $3, $4`, [
      emails,
      auditId,
      kind,
      organizerId,
    ]);
  }

  async find(email: string, tx?: EntityManager): Promise<CanaryTrace | null> {
    const rows: CanaryTrace[] = await (tx ?? this.dataSource.manager).query(
      `SELECT audit_id AS "auditId", kind, organizer_id AS "organizerId", created_at AS "at" FROM export_canaries WHERE email = $1`,
      [email],
    );
    return rows[0] ?? null;
  }

  /** The sighting's id, or null when this occurrence was recorded already (a job run twice). */
  async addSighting(
    tx: EntityManager,
    sighting: { email: string; source: string; reference: string; auditId: string },
  ): Promise<string | null> {
    const rows: Array<{ id: string }> = await tx.query(
      `INSERT INTO canary_sightings (email, source, reference, audit_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (source, reference) DO NOTHING RETURNING id`,
      [sighting.email, sighting.source, sighting.reference, sighting.auditId],
    );
    return rows[0]?.id ?? null;
  }

  async findSighting(id: string): Promise<SightingDetails | null> {
    const rows: SightingDetails[] = await this.dataSource.query(
      `SELECT s.source, s.created_at AS "seenAt", c.audit_id AS "auditId", c.kind, c.organizer_id AS "organizerId", c.created_at AS "at"
       FROM canary_sightings s JOIN export_canaries c ON c.email = s.email WHERE s.id = $1`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Admins who can still act (not revoked). */
  activeAdmins(tx: EntityManager): Promise<Array<{ id: string }>> {
    return tx.query(`SELECT id FROM organizers WHERE role = 'admin' AND revoked_at IS NULL ORDER BY created_at`);
  }

  async organizerEmail(id: string): Promise<string | null> {
    const rows: Array<{ email: string }> = await this.dataSource.query(
      `SELECT email FROM organizers WHERE id = $1 AND revoked_at IS NULL`,
      [id],
    );
    return rows[0]?.email ?? null;
  }
}
