import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Role } from '../organizers/organizer.entity';

export interface InvitationRow {
  id: string;
  organizerId: string | null;
  email: string | null;
  role: Role;
  expiresAt: Date;
}

export interface SignInAccount {
  organizerId: string;
  role: Role;
  language: string;
  passwordHash: string | null;
  totpSecret: string | null;
  totpLastStep: string | null;
}

export interface PasskeyRow {
  id: string;
  organizerId: string;
  credentialId: string;
  publicKey: Buffer;
  counter: string;
  transports: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The console's credentials: invitations, accounts (password, TOTP), passkeys, recovery codes. */
@Injectable()
export class ConsoleAuthRepository {
  constructor(private readonly dataSource: DataSource) {}

  private q(tx?: EntityManager): EntityManager {
    return tx ?? this.dataSource.manager;
  }

  // --- invitations

  /** A new invitation; the organizer's earlier unused ones stop working. */
  async insertInvitation(
    tx: EntityManager,
    row: { id: string; organizerId: string | null; role: Role; tokenHash: string; createdBy: string | null; expiresAt: Date },
  ): Promise<void> {
    if (row.organizerId) {
      await tx.query(`DELETE FROM console_invitations WHERE organizer_id = $1 AND used_at IS NULL`, [row.organizerId]);
    } else {
      await tx.query(`DELETE FROM console_invitations WHERE organizer_id IS NULL AND used_at IS NULL`);
    }
    await tx.query(
      `INSERT INTO console_invitations (id, organizer_id, role, token_hash, created_by, expires_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.id, row.organizerId, row.role, row.tokenHash, row.createdBy, row.expiresAt],
    );
  }

  /** An unused, unexpired invitation whose organizer (if any) is active. */
  async findUsableInvitation(tokenHash: string, tx?: EntityManager): Promise<InvitationRow | null> {
    const rows: InvitationRow[] = await this.q(tx).query(
      `SELECT i.id, i.organizer_id AS "organizerId", o.email, i.role, i.expires_at AS "expiresAt"
       FROM console_invitations i LEFT JOIN organizers o ON o.id = i.organizer_id
       WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > now()
         AND (i.organizer_id IS NULL OR o.revoked_at IS NULL)`,
      [tokenHash],
    );
    return rows[0] ?? null;
  }

  async findInvitationById(id: string): Promise<InvitationRow | null> {
    const rows: InvitationRow[] = await this.dataSource.query(
      `SELECT i.id, i.organizer_id AS "organizerId", o.email, i.role, i.expires_at AS "expiresAt"
       FROM console_invitations i LEFT JOIN organizers o ON o.id = i.organizer_id
       WHERE i.id = $1 AND i.used_at IS NULL AND i.expires_at > now()`,
      [id],
    );
    return rows[0] ?? null;
  }

  /** Uses the invitation: true for the one caller that got it (a second use finds it used). */
  async claimInvitation(tx: EntityManager, id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await tx.query(
      `UPDATE console_invitations SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now()`,
      [id],
    );
    return affected === 1;
  }

  async attachInvitation(tx: EntityManager, id: string, organizerId: string): Promise<void> {
    await tx.query(`UPDATE console_invitations SET organizer_id = $2 WHERE id = $1 AND organizer_id IS NULL`, [id, organizerId]);
  }

  async activeOrganizerCount(tx?: EntityManager): Promise<number> {
    const rows: Array<{ n: number }> = await this.q(tx).query(`SELECT count(*)::int AS n FROM organizers WHERE revoked_at IS NULL`);
    return rows[0].n;
  }

  /** Serialises the first admin's creation (two set-up links used at once make one admin). */
  async lockFirstAdmin(tx: EntityManager): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('console-first-admin'))`);
  }

  // --- accounts

  async findSignInAccount(email: string): Promise<SignInAccount | null> {
    const rows: SignInAccount[] = await this.dataSource.query(
      `SELECT o.id AS "organizerId", o.role, a.language, a.password_hash AS "passwordHash", a.totp_secret AS "totpSecret",
              a.totp_last_step::text AS "totpLastStep"
       FROM organizers o JOIN console_accounts a ON a.organizer_id = o.id
       WHERE o.email = $1 AND o.revoked_at IS NULL`,
      [email],
    );
    return rows[0] ?? null;
  }

  async findActiveOrganizer(organizerId: string): Promise<{ organizerId: string; email: string; role: Role; language: string } | null> {
    const rows: Array<{ organizerId: string; email: string; role: Role; language: string }> = await this.dataSource.query(
      `SELECT o.id AS "organizerId", o.email, o.role, coalesce(a.language, 'en') AS language
       FROM organizers o LEFT JOIN console_accounts a ON a.organizer_id = o.id
       WHERE o.id = $1 AND o.revoked_at IS NULL`,
      [organizerId],
    );
    return rows[0] ?? null;
  }

  async upsertAccount(
    tx: EntityManager,
    organizerId: string,
    fields: { passwordHash?: string | null; totpSecret?: string | null; language: string },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO console_accounts (organizer_id, password_hash, totp_secret, language) VALUES ($1, $2, $3, $4)
       ON CONFLICT (organizer_id) DO UPDATE SET
         password_hash = CASE WHEN $5 THEN EXCLUDED.password_hash ELSE console_accounts.password_hash END,
         totp_secret = CASE WHEN $5 THEN EXCLUDED.totp_secret ELSE console_accounts.totp_secret END,
         totp_last_step = CASE WHEN $5 THEN NULL ELSE console_accounts.totp_last_step END,
         updated_at = now()`,
      [organizerId, fields.passwordHash ?? null, fields.totpSecret ?? null, fields.language, fields.passwordHash !== undefined],
    );
  }

  /** Takes a TOTP step once: false when this step (or a later one) was used already. */
  async spendTotpStep(organizerId: string, step: number): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE console_accounts SET totp_last_step = $2 WHERE organizer_id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2)`,
      [organizerId, step],
    );
    return affected === 1;
  }

  async spendTotpStepIn(tx: EntityManager, organizerId: string, step: number): Promise<void> {
    await tx.query(`UPDATE console_accounts SET totp_last_step = $2 WHERE organizer_id = $1`, [organizerId, step]);
  }

  /** Every credential of an organizer gone (reset by an admin): account, passkeys, recovery codes. */
  async deleteCredentials(tx: EntityManager, organizerId: string): Promise<void> {
    await tx.query(`DELETE FROM console_passkeys WHERE organizer_id = $1`, [organizerId]);
    await tx.query(`DELETE FROM console_recovery_codes WHERE organizer_id = $1`, [organizerId]);
    await tx.query(`DELETE FROM console_accounts WHERE organizer_id = $1`, [organizerId]);
  }

  // --- recovery codes

  async replaceRecoveryCodes(tx: EntityManager, organizerId: string, hashes: string[]): Promise<void> {
    await tx.query(`DELETE FROM console_recovery_codes WHERE organizer_id = $1`, [organizerId]);
    await tx.query(`INSERT INTO console_recovery_codes (organizer_id, code_hash) SELECT $1, unnest($2::text[])`, [organizerId, hashes]);
  }

  /** Uses a recovery code: true once, false ever after. */
  async spendRecoveryCode(organizerId: string, hash: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `UPDATE console_recovery_codes SET used_at = now() WHERE organizer_id = $1 AND code_hash = $2 AND used_at IS NULL`,
      [organizerId, hash],
    );
    return affected === 1;
  }

  async unusedRecoveryCodes(organizerId: string): Promise<number> {
    const rows: Array<{ n: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM console_recovery_codes WHERE organizer_id = $1 AND used_at IS NULL`,
      [organizerId],
    );
    return rows[0].n;
  }

  async hasPassword(organizerId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM console_accounts WHERE organizer_id = $1 AND password_hash IS NOT NULL`,
      [organizerId],
    );
    return rows.length > 0;
  }

  // --- passkeys

  async insertPasskey(
    tx: EntityManager | undefined,
    row: { organizerId: string; credentialId: string; publicKey: Buffer; counter: number; transports: string; name: string },
  ): Promise<void> {
    await this.q(tx).query(
      `INSERT INTO console_passkeys (organizer_id, credential_id, public_key, counter, transports, name) VALUES ($1, $2, $3, $4, $5, $6)`,
      [row.organizerId, row.credentialId, row.publicKey, row.counter, row.transports, row.name],
    );
  }

  passkeysOf(organizerId: string): Promise<PasskeyRow[]> {
    return this.dataSource.query(
      `SELECT id, organizer_id AS "organizerId", credential_id AS "credentialId", public_key AS "publicKey", counter::text AS counter,
              transports, name, created_at AS "createdAt", last_used_at AS "lastUsedAt"
       FROM console_passkeys WHERE organizer_id = $1 ORDER BY created_at`,
      [organizerId],
    );
  }

  /** The passkey of a credential id, when its organizer is active. */
  async findPasskey(credentialId: string): Promise<(PasskeyRow & { role: Role; language: string }) | null> {
    const rows: Array<PasskeyRow & { role: Role; language: string }> = await this.dataSource.query(
      `SELECT p.id, p.organizer_id AS "organizerId", p.credential_id AS "credentialId", p.public_key AS "publicKey",
              p.counter::text AS counter, p.transports, p.name, p.created_at AS "createdAt", p.last_used_at AS "lastUsedAt",
              o.role, coalesce(a.language, 'en') AS language
       FROM console_passkeys p JOIN organizers o ON o.id = p.organizer_id LEFT JOIN console_accounts a ON a.organizer_id = o.id
       WHERE p.credential_id = $1 AND o.revoked_at IS NULL`,
      [credentialId],
    );
    return rows[0] ?? null;
  }

  async recordPasskeyUse(id: string, counter: number): Promise<void> {
    await this.dataSource.query(`UPDATE console_passkeys SET counter = $2, last_used_at = now() WHERE id = $1`, [id, counter]);
  }

  async deletePasskey(organizerId: string, id: string): Promise<boolean> {
    const [, affected]: [unknown, number] = await this.dataSource.query(
      `DELETE FROM console_passkeys WHERE id = $1 AND organizer_id = $2`,
      [id, organizerId],
    );
    return affected === 1;
  }
}
