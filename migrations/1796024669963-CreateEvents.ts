import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEvents1796024669963 implements MigrationInterface {
  name = 'CreateEvents1796024669963';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "events" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "slug" character varying(100) NOT NULL,
                "title" text NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "timezone" character varying(64) NOT NULL,
                "location_name" text,
                "location_address" text,
                "location_online" boolean NOT NULL DEFAULT false,
                "location_url" text,
                "location_private" boolean NOT NULL DEFAULT false,
                "capacity" integer,
                "waitlist" boolean NOT NULL DEFAULT false,
                "reminders" integer array NOT NULL DEFAULT '{}',
                "status" character varying(16) NOT NULL DEFAULT 'draft',
                "revision" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_events_capacity" CHECK (
                    "capacity" IS NULL
                    OR "capacity" > 0
                ),
                CONSTRAINT "CHK_events_times" CHECK ("ends_at" > "starts_at"),
                CONSTRAINT "CHK_events_status" CHECK ("status" IN ('draft', 'published', 'cancelled')),
                CONSTRAINT "PK_40731c7151fe4be3116e45ddf73" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_events_slug" ON "events" ("slug")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_events_cursor" ON "events" ("created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_events_status_starts" ON "events" ("status", "starts_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "rsvps" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "event_id" uuid NOT NULL,
                "person_id" uuid,
                "email" text,
                "given_name" text,
                "family_name" text,
                "country" character varying(2),
                "language" character varying(35),
                "subscribe" boolean NOT NULL DEFAULT false,
                "guests" integer NOT NULL DEFAULT '0',
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "ip_hash" character varying(64),
                "request_round" integer NOT NULL DEFAULT '1',
                "processed_round" integer NOT NULL DEFAULT '0',
                "waitlist_position" bigint,
                "going_at" TIMESTAMP WITH TIME ZONE,
                "cancel_token_id" uuid,
                "attended" boolean,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "confirmed_at" TIMESTAMP WITH TIME ZONE,
                "cancelled_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_rsvps_guests" CHECK (
                    "guests" BETWEEN 0 AND 10
                ),
                CONSTRAINT "CHK_rsvps_status" CHECK (
                    "status" IN (
                        'pending',
                        'going',
                        'waitlisted',
                        'refused',
                        'cancelled'
                    )
                ),
                CONSTRAINT "PK_5d5dda5a5f9fc2f6ba17eefbf86" PRIMARY KEY ("id")
            )
        `);
    // Added by hand (TypeORM does not model free-standing sequences): waitlist positions
    // are drawn from it under the event's row lock, so their order is the arrival order.
    await queryRunner.query(`
            CREATE SEQUENCE "rsvps_waitlist_position_seq"
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_rsvps_unprocessed" ON "rsvps" ("updated_at")
            WHERE "processed_round" < "request_round"
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_rsvps_person" ON "rsvps" ("person_id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_rsvps_event_cursor" ON "rsvps" ("event_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_rsvps_event_status" ON "rsvps" ("event_id", "status")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_rsvps_event_person" ON "rsvps" ("event_id", "person_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "rsvps"
            ADD CONSTRAINT "FK_rsvps_event" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "rsvps"
            ADD CONSTRAINT "FK_rsvps_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "rsvps" DROP CONSTRAINT "FK_rsvps_person"
        `);
    await queryRunner.query(`
            ALTER TABLE "rsvps" DROP CONSTRAINT "FK_rsvps_event"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_rsvps_event_person"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_rsvps_event_status"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_rsvps_event_cursor"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_rsvps_person"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_rsvps_unprocessed"
        `);
    await queryRunner.query(`
            DROP TABLE "rsvps"
        `);
    await queryRunner.query(`
            DROP SEQUENCE "rsvps_waitlist_position_seq"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_events_status_starts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_events_cursor"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_events_slug"
        `);
    await queryRunner.query(`
            DROP TABLE "events"
        `);
  }
}
