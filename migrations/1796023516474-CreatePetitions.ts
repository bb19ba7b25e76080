import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePetitions1796023516474 implements MigrationInterface {
  name = 'CreatePetitions1796023516474';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "petition_counts" (
                "petition_id" uuid NOT NULL,
                "confirmed_count" bigint NOT NULL DEFAULT '0',
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a1b81faa11c3e6fd4ac749694a8" PRIMARY KEY ("petition_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "petition_count_deltas" (
                "id" BIGSERIAL NOT NULL,
                "petition_id" uuid NOT NULL,
                "delta" integer NOT NULL,
                CONSTRAINT "PK_2b0e33e5e53b46573df0eb79599" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_petition_count_deltas_petition" ON "petition_count_deltas" ("petition_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "petitions" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "slug" character varying(100) NOT NULL,
                "title" text NOT NULL,
                "summary" text NOT NULL,
                "body" text NOT NULL,
                "target" text NOT NULL,
                "goal" integer NOT NULL,
                "goal_fixed" boolean NOT NULL DEFAULT false,
                "language" character varying(35) NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'draft',
                "translations" jsonb NOT NULL DEFAULT '{}',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_petitions_goal" CHECK ("goal" > 0),
                CONSTRAINT "CHK_petitions_status" CHECK ("status" IN ('draft', 'open', 'closed')),
                CONSTRAINT "PK_db291e9a07cb5e6850128379cf1" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_petitions_slug" ON "petitions" ("slug")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_petitions_status" ON "petitions" ("status")
        `);
    await queryRunner.query(`
            CREATE TABLE "signatures" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "petition_id" uuid NOT NULL,
                "person_id" uuid NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "given_name" text NOT NULL,
                "family_name" text,
                "country" character varying(2) NOT NULL,
                "postal_code" character varying(20),
                "comment" text,
                "language" character varying(35),
                "public_name" boolean NOT NULL DEFAULT false,
                "subscribe" boolean NOT NULL DEFAULT false,
                "referrer_source" character varying(100),
                "referrer_medium" character varying(100),
                "referrer_campaign" character varying(100),
                "referrer_url" character varying(2000),
                "consent_text_version" character varying(32) NOT NULL,
                "ip_hash" character varying(64),
                "sign_requests" integer NOT NULL DEFAULT '1',
                "handled_requests" integer NOT NULL DEFAULT '0',
                "mailed_at" TIMESTAMP WITH TIME ZONE,
                "reminded_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "confirmed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "UQ_signatures_petition_person" UNIQUE ("petition_id", "person_id"),
                CONSTRAINT "CHK_signatures_status" CHECK ("status" IN ('pending', 'confirmed')),
                CONSTRAINT "PK_f56eb3cd344ce7f9ae28ce814eb" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_signatures_unhandled" ON "signatures" ("created_at")
            WHERE "status" = 'pending'
                AND "handled_requests" < "sign_requests"
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_signatures_remind" ON "signatures" ("mailed_at")
            WHERE "status" = 'pending'
                AND "reminded_at" IS NULL
                AND "mailed_at" IS NOT NULL
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_signatures_public" ON "signatures" ("petition_id", "created_at")
            WHERE "status" = 'confirmed'
                AND "public_name"
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_signatures_petition_created" ON "signatures" ("petition_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_signatures_person" ON "signatures" ("person_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "signatures"
            ADD CONSTRAINT "FK_signatures_petition" FOREIGN KEY ("petition_id") REFERENCES "petitions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "signatures"
            ADD CONSTRAINT "FK_signatures_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "signatures" DROP CONSTRAINT "FK_signatures_person"
        `);
    await queryRunner.query(`
            ALTER TABLE "signatures" DROP CONSTRAINT "FK_signatures_petition"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_signatures_person"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_signatures_petition_created"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_signatures_public"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_signatures_remind"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_signatures_unhandled"
        `);
    await queryRunner.query(`
            DROP TABLE "signatures"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_petitions_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_petitions_slug"
        `);
    await queryRunner.query(`
            DROP TABLE "petitions"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_petition_count_deltas_petition"
        `);
    await queryRunner.query(`
            DROP TABLE "petition_count_deltas"
        `);
    await queryRunner.query(`
            DROP TABLE "petition_counts"
        `);
  }
}
