import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAuditLog1796023025932 implements MigrationInterface {
  name = 'CreateAuditLog1796023025932';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "audit_log" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "organizer_id" uuid,
                "api_key_id" uuid,
                "action" character varying(100) NOT NULL,
                "target_type" character varying(50),
                "target_id" character varying(100),
                "details" jsonb NOT NULL DEFAULT '{}'::jsonb,
                "ip" character varying(64),
                "request_id" character varying(100),
                CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_audit_log_cursor" ON "audit_log" ("created_at", "id")
        `);
    // Added by hand (TypeORM does not generate triggers): the log is append-only at the
    // database itself, so not even a compromised API key or a SQL slip can rewrite it.
    await queryRunner.query(`
            CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log"
            FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()
        `);
    await queryRunner.query(`
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON "audit_log"
            FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP TRIGGER "audit_log_no_truncate" ON "audit_log"
        `);
    await queryRunner.query(`
            DROP TRIGGER "audit_log_append_only" ON "audit_log"
        `);
    await queryRunner.query(`
            DROP FUNCTION audit_log_refuse_change()
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_audit_log_cursor"
        `);
    await queryRunner.query(`
            DROP TABLE "audit_log"
        `);
  }
}
