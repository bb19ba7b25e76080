import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSupporterSafety1796591588615 implements MigrationInterface {
  name = 'AddSupporterSafety1796591588615';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "canary_sightings" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "email" text NOT NULL,
                "source" character varying(16) NOT NULL,
                "reference" character varying(200) NOT NULL,
                "audit_id" uuid NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_canary_sightings_occurrence" UNIQUE ("source", "reference"),
                CONSTRAINT "PK_ac22f9e293ed6de67cf66be1f42" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "export_canaries" (
                "email" text NOT NULL,
                "audit_id" uuid NOT NULL,
                "kind" character varying(16) NOT NULL,
                "organizer_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f82653f07f83214360c6597ca87" PRIMARY KEY ("email")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_export_canaries_audit" ON "export_canaries" ("audit_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "export_requests" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "kind" character varying(16) NOT NULL,
                "parent_id" uuid,
                "filters" jsonb NOT NULL DEFAULT '{}',
                "rows" integer NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "requested_by" uuid NOT NULL,
                "decided_by" uuid,
                "decided_at" TIMESTAMP WITH TIME ZONE,
                "downloaded_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_export_requests_status" CHECK (
                    "status" IN ('pending', 'approved', 'refused', 'downloaded')
                ),
                CONSTRAINT "PK_c1447734294baee42649c066afe" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_export_requests_pending" ON "export_requests" ("created_at")
            WHERE "status" = 'pending'
        `);
    await queryRunner.query(`
            ALTER TABLE "people"
            ADD "protected" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "rsvps"
            ADD "protected" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "signups"
            ADD "protected" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            ALTER TABLE "suppressions"
            ADD "key_id" character varying(16)
        `);
    await queryRunner.query(`
            ALTER TABLE "signatures"
            ADD "protected" boolean NOT NULL DEFAULT false
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "signatures" DROP COLUMN "protected"
        `);
    await queryRunner.query(`
            ALTER TABLE "suppressions" DROP COLUMN "key_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "signups" DROP COLUMN "protected"
        `);
    await queryRunner.query(`
            ALTER TABLE "rsvps" DROP COLUMN "protected"
        `);
    await queryRunner.query(`
            ALTER TABLE "people" DROP COLUMN "protected"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_export_requests_pending"
        `);
    await queryRunner.query(`
            DROP TABLE "export_requests"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_export_canaries_audit"
        `);
    await queryRunner.query(`
            DROP TABLE "export_canaries"
        `);
    await queryRunner.query(`
            DROP TABLE "canary_sightings"
        `);
  }
}
