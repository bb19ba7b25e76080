import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A transactional email whose sender took the lock and never recorded what SMTP answered is
 * no longer sent again when the lock goes stale: it counts as sent, `uncertain` (issue 19,
 * finding 1). Rows already left `sending` are settled that way by the next reconciler pass.
 */
export class AddUncertainEmails1796416891578 implements MigrationInterface {
  name = 'AddUncertainEmails1796416891578';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "email_messages"
            ADD "uncertain" boolean NOT NULL DEFAULT false
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "email_messages" DROP COLUMN "uncertain"
        `);
  }
}
