import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organizer console (issue 14): sessions (only the id's hash), invitations (only the
 * token's hash), passkeys, the password + TOTP fallback and the recovery codes (hashed).
 */
export class CreateConsole1796591636186 implements MigrationInterface {
  name = 'CreateConsole1796591636186';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "console_sessions" (
                "id_hash" character varying(64) NOT NULL,
                "organizer_id" uuid NOT NULL,
                "role" character varying(16) NOT NULL,
                "language" character varying(5) NOT NULL DEFAULT 'en',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_916f2095a1ec3f58318a2039e1d" PRIMARY KEY ("id_hash")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_console_sessions_organizer" ON "console_sessions" ("organizer_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_console_sessions_expires" ON "console_sessions" ("expires_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "console_accounts" (
                "organizer_id" uuid NOT NULL,
                "password_hash" text,
                "totp_secret" text,
                "totp_last_step" bigint,
                "language" character varying(5) NOT NULL DEFAULT 'en',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_1f23b6e5278378025f09dbcc4db" PRIMARY KEY ("organizer_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "console_invitations" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "organizer_id" uuid,
                "role" character varying(16) NOT NULL,
                "token_hash" character varying(64) NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_console_invitations_role" CHECK ("role" IN ('admin', 'organizer', 'viewer')),
                CONSTRAINT "PK_169e5bff57ca94e33592b1cfbc1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_console_invitations_organizer" ON "console_invitations" ("organizer_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_console_invitations_token_hash" ON "console_invitations" ("token_hash")
        `);
    await queryRunner.query(`
            CREATE TABLE "console_passkeys" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "organizer_id" uuid NOT NULL,
                "credential_id" text NOT NULL,
                "public_key" bytea NOT NULL,
                "counter" bigint NOT NULL DEFAULT '0',
                "transports" text NOT NULL DEFAULT '',
                "name" character varying(100) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_e4ca40476bcd831b27e22cb1dc2" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_console_passkeys_organizer" ON "console_passkeys" ("organizer_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_console_passkeys_credential" ON "console_passkeys" ("credential_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "console_recovery_codes" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "organizer_id" uuid NOT NULL,
                "code_hash" character varying(64) NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b5c58fc71f5e28d4dae5250c8e0" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_console_recovery_codes_organizer" ON "console_recovery_codes" ("organizer_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_console_recovery_codes_hash" ON "console_recovery_codes" ("code_hash")
        `);
    await queryRunner.query(`
            ALTER TABLE "console_sessions"
            ADD CONSTRAINT "FK_console_sessions_organizer" FOREIGN KEY ("organizer_id") REFERENCES "organizers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "console_accounts"
            ADD CONSTRAINT "FK_console_accounts_organizer" FOREIGN KEY ("organizer_id") REFERENCES "organizers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "console_invitations"
            ADD CONSTRAINT "FK_console_invitations_organizer" FOREIGN KEY ("organizer_id") REFERENCES "organizers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "console_passkeys"
            ADD CONSTRAINT "FK_console_passkeys_organizer" FOREIGN KEY ("organizer_id") REFERENCES "organizers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "console_recovery_codes"
            ADD CONSTRAINT "FK_console_recovery_codes_organizer" FOREIGN KEY ("organizer_id") REFERENCES "organizers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "console_recovery_codes" DROP CONSTRAINT "FK_console_recovery_codes_organizer"
        `);
    await queryRunner.query(`
            ALTER TABLE "console_passkeys" DROP CONSTRAINT "FK_console_passkeys_organizer"
        `);
    await queryRunner.query(`
            ALTER TABLE "console_invitations" DROP CONSTRAINT "FK_console_invitations_organizer"
        `);
    await queryRunner.query(`
            ALTER TABLE "console_accounts" DROP CONSTRAINT "FK_console_accounts_organizer"
        `);
    await queryRunner.query(`
            ALTER TABLE "console_sessions" DROP CONSTRAINT "FK_console_sessions_organizer"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_console_recovery_codes_hash"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_console_recovery_codes_organizer"
        `);
    await queryRunner.query(`
            DROP TABLE "console_recovery_codes"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_console_passkeys_credential"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_console_passkeys_organizer"
        `);
    await queryRunner.query(`
            DROP TABLE "console_passkeys"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_console_invitations_token_hash"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_console_invitations_organizer"
        `);
    await queryRunner.query(`
            DROP TABLE "console_invitations"
        `);
    await queryRunner.query(`
            DROP TABLE "console_accounts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_console_sessions_expires"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_console_sessions_organizer"
        `);
    await queryRunner.query(`
            DROP TABLE "console_sessions"
        `);
  }
}
