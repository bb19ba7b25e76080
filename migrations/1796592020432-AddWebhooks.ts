import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Signed outbound webhooks (issue 18): `change_events`, the change feed's outbox (a row per
 * change worth telling, written in the change's own transaction, ids only); `webhooks`
 * (the signing secret encrypted under a key derived from APP_SECRET); `webhook_deliveries`,
 * one per event owed to one webhook, whose id is the `webhook-id` of every attempt.
 */
export class AddWebhooks1796592020432 implements MigrationInterface {
  name = 'AddWebhooks1796592020432';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "change_events" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "seq" BIGSERIAL NOT NULL,
                "type" character varying(40) NOT NULL,
                "person_id" uuid,
                "data" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                "published_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_b879f7f031c15bf2821d94ccd63" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_change_events_seq" ON "change_events" ("seq")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_change_events_created" ON "change_events" ("created_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_change_events_unpublished" ON "change_events" ("seq")
            WHERE "published_at" IS NULL
        `);
    await queryRunner.query(`
            CREATE TABLE "webhooks" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "url" text NOT NULL,
                "events" text array NOT NULL,
                "include_personal_data" boolean NOT NULL DEFAULT false,
                "secret_encrypted" text NOT NULL,
                "created_by" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "disabled_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_9e8795cfc899ab7bdaa831e8527" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_webhooks_created" ON "webhooks" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE TABLE "webhook_deliveries" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "webhook_id" uuid NOT NULL,
                "change_id" uuid,
                "change_seq" bigint,
                "type" character varying(40) NOT NULL,
                "person_id" uuid,
                "data" jsonb NOT NULL,
                "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "attempts" jsonb NOT NULL DEFAULT '[]',
                "attempt_count" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "lease_until" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_webhook_deliveries_change" UNIQUE ("webhook_id", "change_id"),
                CONSTRAINT "CHK_webhook_deliveries_status" CHECK ("status" IN ('pending', 'delivered', 'failed')),
                CONSTRAINT "PK_535dd409947fb6d8fc6dfc0112a" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_webhook_deliveries_person_order" ON "webhook_deliveries" ("webhook_id", "person_id", "change_seq")
            WHERE "status" = 'pending'
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_webhook_deliveries_due" ON "webhook_deliveries" ("next_attempt_at")
            WHERE "status" = 'pending'
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_webhook_deliveries_webhook_created" ON "webhook_deliveries" ("webhook_id", "created_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries"
            ADD CONSTRAINT "FK_webhook_deliveries_webhook" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "webhook_deliveries" DROP CONSTRAINT "FK_webhook_deliveries_webhook"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_webhook_deliveries_webhook_created"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_webhook_deliveries_due"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_webhook_deliveries_person_order"
        `);
    await queryRunner.query(`
            DROP TABLE "webhook_deliveries"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_webhooks_created"
        `);
    await queryRunner.query(`
            DROP TABLE "webhooks"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_change_events_unpublished"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_change_events_created"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_change_events_seq"
        `);
    await queryRunner.query(`
            DROP TABLE "change_events"
        `);
  }
}
