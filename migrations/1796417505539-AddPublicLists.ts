import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lists get a `public` flag (issue 19, finding 2): only public lists may be named in a public
 * request (a sign-up's `lists`, a petition's or an RSVP's `subscribe`). The default list is
 * public, and stays so (CHECK); every other existing list becomes private, as new lists are
 * unless the organizer says otherwise: a list made for vetted people must not be joinable
 * by whoever guesses its slug. An organizer whose public form names another list makes it
 * public with `PATCH /api/v1/admin/lists/{id}` `{"public": true}`.
 */
export class AddPublicLists1796417505539 implements MigrationInterface {
  name = 'AddPublicLists1796417505539';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "lists"
            ADD "is_public" boolean NOT NULL DEFAULT false
        `);
    await queryRunner.query(`
            UPDATE "lists" SET "is_public" = true WHERE "is_default"
        `);
    await queryRunner.query(`
            ALTER TABLE "lists"
            ADD CONSTRAINT "CHK_lists_default_public" CHECK (
                    "is_public"
                    OR NOT "is_default"
                )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "lists" DROP CONSTRAINT "CHK_lists_default_public"
        `);
    await queryRunner.query(`
            ALTER TABLE "lists" DROP COLUMN "is_public"
        `);
  }
}
