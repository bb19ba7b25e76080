import { MigrationInterface, QueryRunner } from "typeorm";

export class CreateFoundation1796020286803 implements MigrationInterface {
    name = 'CreateFoundation1796020286803'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "email_messages" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "kind" character varying(32) NOT NULL,
                "dedupe_key" character varying(200) NOT NULL,
                "person_id" uuid,
                "language" character varying(35) NOT NULL,
                "params" jsonb NOT NULL DEFAULT '{}',
                "status" character varying(16) NOT NULL DEFAULT 'pending',
                "attempts" integer NOT NULL DEFAULT '0',
                "locked_at" TIMESTAMP WITH TIME ZONE,
                "sent_at" TIMESTAMP WITH TIME ZONE,
                "provider_message_id" text,
                "last_error" text,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_email_messages_status" CHECK (
                    "status" IN ('pending', 'sending', 'sent', 'failed')
                ),
                CONSTRAINT "PK_922cad79d5a315f5d1d06b077da" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_email_messages_dedupe_key" ON "email_messages" ("dedupe_key")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_email_messages_unsent" ON "email_messages" ("created_at")
            WHERE "status" IN ('pending', 'sending')
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_email_messages_person_kind_created" ON "email_messages" ("person_id", "kind", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "organizers" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "email" text NOT NULL,
                "role" character varying(16) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_organizers_role" CHECK ("role" IN ('admin', 'organizer', 'viewer')),
                CONSTRAINT "PK_cd09a9a73ad3bf8e3c0a22dfb49" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_organizers_email" ON "organizers" ("email")
        `);
        await queryRunner.query(`
            CREATE TABLE "api_keys" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "organizer_id" uuid NOT NULL,
                "key_hash" character varying(64) NOT NULL,
                "key_prefix" character varying(16) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "last_used_at" TIMESTAMP WITH TIME ZONE,
                "revoked_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_api_keys_organizer" ON "api_keys" ("organizer_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_api_keys_hash" ON "api_keys" ("key_hash")
        `);
        await queryRunner.query(`
            CREATE TABLE "outbox" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "queue" character varying(64) NOT NULL,
                "job_name" character varying(64) NOT NULL,
                "job_id" character varying(200) NOT NULL,
                "payload" jsonb NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "dispatched_at" TIMESTAMP WITH TIME ZONE,
                "attempts" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_outbox_pending" ON "outbox" ("created_at")
            WHERE "dispatched_at" IS NULL
        `);
        await queryRunner.query(`
            CREATE TABLE "people" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "email" text NOT NULL,
                "email_normalized" text NOT NULL,
                "given_name" text,
                "family_name" text,
                "country" character varying(2),
                "postal_code" character varying(20),
                "language" character varying(35),
                "confirmed_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_aa866e71353ee94c6cc51059c5b" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_people_email_normalized" ON "people" ("email_normalized")
        `);
        await queryRunner.query(`
            CREATE TABLE "consent_records" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "person_id" uuid NOT NULL,
                "action" character varying(32) NOT NULL,
                "form" character varying(100) NOT NULL,
                "text_version" character varying(32) NOT NULL,
                "list_slugs" text array NOT NULL DEFAULT '{}',
                "request_id" uuid,
                "ip_hash" character varying(64),
                "given_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "confirmed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_030be152eaa44998166470b2ccc" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_consent_records_person" ON "consent_records" ("person_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "lists" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "slug" character varying(64) NOT NULL,
                "name" text NOT NULL,
                "is_default" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_268b525e9a6dd04d0685cb2aaaa" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_lists_slug" ON "lists" ("slug")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_lists_default" ON "lists" ("is_default")
            WHERE "is_default"
        `);
        await queryRunner.query(`
            CREATE TABLE "signups" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "email" text NOT NULL,
                "email_normalized" text NOT NULL,
                "given_name" text,
                "family_name" text,
                "country" character varying(2),
                "postal_code" character varying(20),
                "language" character varying(35),
                "list_slugs" text array NOT NULL DEFAULT '{}',
                "source" character varying(100),
                "consent_text_version" character varying(32) NOT NULL,
                "ip_hash" character varying(64),
                "status" character varying(16) NOT NULL DEFAULT 'received',
                "person_id" uuid,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "processed_at" TIMESTAMP WITH TIME ZONE,
                "confirmed_at" TIMESTAMP WITH TIME ZONE,
                CONSTRAINT "CHK_signups_status" CHECK (
                    "status" IN (
                        'received',
                        'mailed',
                        'suppressed',
                        'throttled',
                        'confirmed'
                    )
                ),
                CONSTRAINT "PK_00508d1ace4b24227069d2ffcda" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_signups_received" ON "signups" ("created_at")
            WHERE "status" = 'received'
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_signups_email_created" ON "signups" ("email_normalized", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "subscriptions" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "person_id" uuid NOT NULL,
                "list_id" uuid NOT NULL,
                "status" character varying(16) NOT NULL,
                "subscribed_at" TIMESTAMP WITH TIME ZONE,
                "unsubscribed_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_subscriptions_status" CHECK (
                    "status" IN ('pending', 'subscribed', 'unsubscribed')
                ),
                CONSTRAINT "PK_a87248d73155605cf782be9ee5e" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_subscriptions_list_status" ON "subscriptions" ("list_id", "status")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_subscriptions_person_list" ON "subscriptions" ("person_id", "list_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "suppressions" (
                "email_hash" character varying(64) NOT NULL,
                "reason" character varying(32) NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b6c080e27f4c655518255d4668c" PRIMARY KEY ("email_hash")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "action_tokens" (
                "id" uuid NOT NULL DEFAULT uuid_generate_v4(),
                "token_hash" character varying(64) NOT NULL,
                "nonce" character varying(32) NOT NULL,
                "purpose" character varying(32) NOT NULL,
                "person_id" uuid,
                "subject_id" uuid NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP WITH TIME ZONE,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_d29a2a18dc1b6b8abe2a151bea0" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_action_tokens_hash" ON "action_tokens" ("token_hash")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_action_tokens_expires" ON "action_tokens" ("expires_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "api_keys"
            ADD CONSTRAINT "FK_api_keys_organizer" FOREIGN KEY ("organizer_id") REFERENCES "organizers"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "consent_records"
            ADD CONSTRAINT "FK_consent_records_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "signups"
            ADD CONSTRAINT "FK_signups_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "subscriptions"
            ADD CONSTRAINT "FK_subscriptions_person" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "subscriptions"
            ADD CONSTRAINT "FK_subscriptions_list" FOREIGN KEY ("list_id") REFERENCES "lists"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "subscriptions" DROP CONSTRAINT "FK_subscriptions_list"
        `);
        await queryRunner.query(`
            ALTER TABLE "subscriptions" DROP CONSTRAINT "FK_subscriptions_person"
        `);
        await queryRunner.query(`
            ALTER TABLE "signups" DROP CONSTRAINT "FK_signups_person"
        `);
        await queryRunner.query(`
            ALTER TABLE "consent_records" DROP CONSTRAINT "FK_consent_records_person"
        `);
        await queryRunner.query(`
            ALTER TABLE "api_keys" DROP CONSTRAINT "FK_api_keys_organizer"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_action_tokens_expires"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_action_tokens_hash"
        `);
        await queryRunner.query(`
            DROP TABLE "action_tokens"
        `);
        await queryRunner.query(`
            DROP TABLE "suppressions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_subscriptions_person_list"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_subscriptions_list_status"
        `);
        await queryRunner.query(`
            DROP TABLE "subscriptions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_signups_email_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_signups_received"
        `);
        await queryRunner.query(`
            DROP TABLE "signups"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_lists_default"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_lists_slug"
        `);
        await queryRunner.query(`
            DROP TABLE "lists"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_consent_records_person"
        `);
        await queryRunner.query(`
            DROP TABLE "consent_records"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_people_email_normalized"
        `);
        await queryRunner.query(`
            DROP TABLE "people"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_outbox_pending"
        `);
        await queryRunner.query(`
            DROP TABLE "outbox"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_api_keys_hash"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_api_keys_organizer"
        `);
        await queryRunner.query(`
            DROP TABLE "api_keys"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_organizers_email"
        `);
        await queryRunner.query(`
            DROP TABLE "organizers"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_email_messages_person_kind_created"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_email_messages_unsent"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_email_messages_dedupe_key"
        `);
        await queryRunner.query(`
            DROP TABLE "email_messages"
        `);
    }

}
