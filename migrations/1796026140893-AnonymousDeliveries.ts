import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Newsletter deliveries survive a person's erasure as anonymous rows (person_id NULL), so a
 * past mailing's stats stay true. The generator also dropped and re-created the table's
 * indexes and foreign key around the column change; they are unchanged, so only the column
 * statement is kept.
 */
export class AnonymousDeliveries1796026140893 implements MigrationInterface {
  name = 'AnonymousDeliveries1796026140893';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "mailing_deliveries"
            ALTER COLUMN "person_id" DROP NOT NULL
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The old schema cannot hold anonymous rows: reverting forgets them (stats of past
    // mailings then count only people who still exist).
    await queryRunner.query(`
            DELETE FROM "mailing_deliveries" WHERE "person_id" IS NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "mailing_deliveries"
            ALTER COLUMN "person_id"
            SET NOT NULL
        `);
  }
}
