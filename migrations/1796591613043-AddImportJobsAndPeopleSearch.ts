import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddImportJobsAndPeopleSearch1796591613043 implements MigrationInterface {
  name = 'AddImportJobsAndPeopleSearch1796591613043';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_people_country"
        `);
    await queryRunner.query(`
            CREATE TABLE "import_jobs" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "organizer_id" uuid,
                "filename" text NOT NULL,
                "bytes" bigint NOT NULL,
                "header" text array NOT NULL,
                "mapping" jsonb,
                "lists" text array NOT NULL DEFAULT '{}',
                "consent_confirmed" boolean NOT NULL DEFAULT false,
                "overwrite" boolean NOT NULL DEFAULT false,
                "status" character varying(16) NOT NULL DEFAULT 'uploaded',
                "bytes_read" bigint NOT NULL DEFAULT '0',
                "checkpoint_line" integer NOT NULL DEFAULT '0',
                "imported" integer NOT NULL DEFAULT '0',
                "updated" integer NOT NULL DEFAULT '0',
                "rejected" integer NOT NULL DEFAULT '0',
                "error" text,
                "attempts" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "queued_at" TIMESTAMP WITH TIME ZONE,
                "heartbeat_at" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_import_jobs_status" CHECK (
                    "status" IN (
                        'uploaded',
                        'queued',
                        'running',
                        'done',
                        'failed'
                    )
                ),
                CONSTRAINT "PK_4d206c602f173f98e4bb85819a3" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_import_jobs_created" ON "import_jobs" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_import_jobs_unfinished" ON "import_jobs" ("status", "heartbeat_at")
            WHERE "status" IN ('queued', 'running')
        `);
    await queryRunner.query(`
            CREATE TABLE "import_chunks" (
                "import_id" uuid NOT NULL,
                "seq" integer NOT NULL,
                "data" bytea NOT NULL,
                CONSTRAINT "PK_17be9951f9d1f93f12d19a577d8" PRIMARY KEY ("import_id", "seq")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "import_mappings" (
                "header_key" text NOT NULL,
                "mapping" jsonb NOT NULL,
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_e69cefa395029689c9bf60980ad" PRIMARY KEY ("header_key")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "import_rejections" (
                "import_id" uuid NOT NULL,
                "line" integer NOT NULL,
                "reason" text NOT NULL,
                CONSTRAINT "PK_5daf7645a1665bf90752f44610f" PRIMARY KEY ("import_id", "line")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_people_country_created" ON "people" ("country", "created_at", "id")
        `);
    // By hand (TypeORM cannot describe expression indexes; the entity marks them
    // synchronize: false): the people search's name prefix, case-insensitive.
    await queryRunner.query(`
            CREATE INDEX "IDX_people_given_name_prefix" ON "people" (lower("given_name") text_pattern_ops)
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_people_family_name_prefix" ON "people" (lower("family_name") text_pattern_ops)
        `);
    await queryRunner.query(`
            ALTER TABLE "import_chunks"
            ADD CONSTRAINT "FK_import_chunks_job" FOREIGN KEY ("import_id") REFERENCES "import_jobs"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "import_rejections"
            ADD CONSTRAINT "FK_import_rejections_job" FOREIGN KEY ("import_id") REFERENCES "import_jobs"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_people_family_name_prefix"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_people_given_name_prefix"
        `);
    await queryRunner.query(`
            ALTER TABLE "import_rejections" DROP CONSTRAINT "FK_import_rejections_job"
        `);
    await queryRunner.query(`
            ALTER TABLE "import_chunks" DROP CONSTRAINT "FK_import_chunks_job"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_people_country_created"
        `);
    await queryRunner.query(`
            DROP TABLE "import_rejections"
        `);
    await queryRunner.query(`
            DROP TABLE "import_mappings"
        `);
    await queryRunner.query(`
            DROP TABLE "import_chunks"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_import_jobs_unfinished"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_import_jobs_created"
        `);
    await queryRunner.query(`
            DROP TABLE "import_jobs"
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_people_country" ON "people" USING btree ("country")
        `);
  }
}
