import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddSignupsPersonIndex1796594715450 implements MigrationInterface {
  name = 'AddSignupsPersonIndex1796594715450';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE INDEX "IDX_signups_person" ON "signups" ("person_id")
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."IDX_signups_person"
        `);
  }
}
