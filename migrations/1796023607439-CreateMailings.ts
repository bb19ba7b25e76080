import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateMailings1796023607439 implements MigrationInterface {
  name = 'CreateMailings1796023607439';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "mailings" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "name" text NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'draft',
                "list_ids" uuid array NOT NULL,
                "countries" text array NOT NULL DEFAULT '{}',
                "languages" text array NOT NULL DEFAULT '{}',
                "petition_ids" uuid array NOT NULL DEFAULT '{}',
                "event_ids" uuid array NOT NULL DEFAULT '{}',
                "content" jsonb NOT NULL,
                "default_language" character varying(35) NOT NULL,
                "send_at" TIMESTAMP WITH TIME ZONE,
                "planned_through" uuid,
                "planned_batches" integer NOT NULL DEFAULT '0',
                "planned_at" TIMESTAMP WITH TIME ZONE,
                "started_at" TIMESTAMP WITH TIME ZONE,
                "finished_at" TIMESTAMP WITH TIME ZONE,
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_mailings_status" CHECK (
                    "status" IN (
                        'draft',
                        'scheduled',
                        'sending',
                        'sent',
                        'cancelled'
                    )
                ),
                CONSTRAINT "PK_62f62ea6a10bcd482f24ac751c7" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_mailings_active" ON "mailings" ("status", "send_at")
            WHERE "status" IN ('scheduled', 'sending')
        `);
    await queryRunner.query(`
            CREATE TABLE "mailing_deliveries" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "mailing_id" uuid NOT NULL,
                "person_id" uuid NOT NULL,
                "batch" integer NOT NULL,
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "language" character varying(35),
                "attempts" integer NOT NULL DEFAULT '0',
                "locked_at" TIMESTAMP WITH TIME ZONE,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "uncertain" boolean NOT NULL DEFAULT false,
                "bounced_at" TIMESTAMP WITH TIME ZONE,
                "complained_at" TIMESTAMP WITH TIME ZONE,
                "last_error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_mailing_deliveries_status" CHECK (
                    "status" IN (
                        'pending',
                        'sending',
                        'sent',
                        'failed',
                        'skipped',
                        'cancelled'
                    )
                ),
                CONSTRAINT "PK_163cfaa9bb200645ac11531e531" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_mailing_deliveries_person_sent" ON "mailing_deliveries" ("person_id", "sent_at")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_mailing_deliveries_unsettled" ON "mailing_deliveries" ("mailing_id")
            WHERE "status" IN ('pending', 'sending')
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_mailing_deliveries_pending" ON "mailing_deliveries" ("mailing_id", "batch", "person_id")
            WHERE "status" = 'pending'
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_mailing_deliveries_mailing_person" ON "mailing_deliveries" ("mailing_id", "person_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "mailing_deliveries"
            ADD CONSTRAINT "FK_mailing_deliveries_mailing" FOREIGN KEY ("mailing_id") REFERENCES "mailings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "mailing_deliveries"
            ADD CONSTRAINT "FK_mailing_deliveries_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "mailing_deliveries" DROP CONSTRAINT "FK_mailing_deliveries_person"
        `);
    await queryRunner.query(`
            ALTER TABLE "mailing_deliveries" DROP CONSTRAINT "FK_mailing_deliveries_mailing"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_mailing_deliveries_mailing_person"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_mailing_deliveries_pending"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_mailing_deliveries_unsettled"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_mailing_deliveries_person_sent"
        `);
    await queryRunner.query(`
            DROP TABLE "mailing_deliveries"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_mailings_active"
        `);
    await queryRunner.query(`
            DROP TABLE "mailings"
        `);
  }
}
