import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure keeps a confirmed signature as an anonymous count: person and typed details
 * become nullable. Partial indexes for the retention scans of signatures and RSVPs never
 * confirmed. (The generator also dropped and re-created the unchanged person foreign key
 * and unique constraint; removed, as that would rebuild the index for nothing.)
 */
export class AnonymousSignatures1796025175180 implements MigrationInterface {
  name = 'AnonymousSignatures1796025175180';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "signatures" ALTER COLUMN "person_id" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "signatures" ALTER COLUMN "given_name" DROP NOT NULL`);
    await queryRunner.query(`ALTER TABLE "signatures" ALTER COLUMN "country" DROP NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_rsvps_pending_updated" ON "rsvps" ("updated_at") WHERE "status" = 'pending'`);
    await queryRunner.query(`CREATE INDEX "IDX_signatures_pending_created" ON "signatures" ("created_at") WHERE "status" = 'pending'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_signatures_pending_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_rsvps_pending_updated"`);
    // Anonymous signatures (erased people) cannot exist under the old schema; the counts
    // are recomputed from what remains by the recount task.
    await queryRunner.query(`DELETE FROM "signatures" WHERE "person_id" IS NULL`);
    await queryRunner.query(`ALTER TABLE "signatures" ALTER COLUMN "country" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "signatures" ALTER COLUMN "given_name" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "signatures" ALTER COLUMN "person_id" SET NOT NULL`);
  }
}
