import { MigrationInterface, QueryRunner } from 'typeorm';

// The movement's default list: what "join the global movement" subscribes to when a
// sign-up names no list.
export class AddDefaultList1796020287803 implements MigrationInterface {
  name = 'AddDefaultList1796020287803';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "lists" ("slug", "name", "is_default") VALUES ('movement', 'The global movement', true) ON CONFLICT DO NOTHING`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "lists" WHERE "slug" = 'movement' AND "is_default"`);
  }
}
