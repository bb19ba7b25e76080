import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddPeopleTools1796023361022 implements MigrationInterface {
  name = 'AddPeopleTools1796023361022';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "person_tags" (
                "person_id" uuid NOT NULL,
                "tag" character varying(64) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_49e9126efd5673d0d27a39b2d3a" PRIMARY KEY ("person_id", "tag")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_person_tags_tag" ON "person_tags" ("tag", "person_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "people"
            ADD "imported_at" TIMESTAMP WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "consent_records"
            ADD "vouched_by" uuid
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_people_language" ON "people" ("language")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_people_country" ON "people" ("country")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_people_created" ON "people" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_signups_unconfirmed_created" ON "signups" ("created_at")
            WHERE "status" <> 'confirmed'
        `);
    await queryRunner.query(`
            ALTER TABLE "person_tags"
            ADD CONSTRAINT "FK_person_tags_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "person_tags" DROP CONSTRAINT "FK_person_tags_person"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_signups_unconfirmed_created"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_people_created"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_people_country"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_people_language"
        `);
    await queryRunner.query(`
            ALTER TABLE "consent_records" DROP COLUMN "vouched_by"
        `);
    await queryRunner.query(`
            ALTER TABLE "people" DROP COLUMN "imported_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_person_tags_tag"
        `);
    await queryRunner.query(`
            DROP TABLE "person_tags"
        `);
  }
}
