import { MigrationInterface, QueryRunner } from 'typeorm';

// The columns whose change a sync client must see. Bookkeeping (request rounds, handled
// counts, mailed/reminded marks, tokens, ip hashes, updated_at) is left out, so the worker's
// own writes and the no-op upserts of the hot paths do not move modified_at.
const PEOPLE_COLUMNS = [
  'email',
  'email_normalized',
  'given_name',
  'family_name',
  'country',
  'postal_code',
  'language',
  'confirmed_at',
  'imported_at',
];
const SIGNATURE_COLUMNS = [
  'status',
  'person_id',
  'given_name',
  'family_name',
  'country',
  'postal_code',
  'comment',
  'language',
  'public_name',
  'subscribe',
  'confirmed_at',
];
const RSVP_COLUMNS = [
  'status',
  'person_id',
  'email',
  'given_name',
  'family_name',
  'country',
  'language',
  'subscribe',
  'guests',
  'waitlist_position',
  'going_at',
  'attended',
  'confirmed_at',
  'cancelled_at',
];

const changed = (columns: string[]): string =>
  `ROW(${columns.map((c) => `OLD."${c}"`).join(', ')}) IS DISTINCT FROM ROW(${columns.map((c) => `NEW."${c}"`).join(', ')})`;

/**
 * Incremental sync (issue 18): people, signatures and RSVPs get a `modified_at`, indexed for
 * keyset paging on (modified_at, id), and `erased_people` keeps the ids of deleted people as
 * tombstones.
 *
 * Added by hand (TypeORM does not generate triggers): modified_at is kept by the database,
 * so no write path (the workers' SQL, imports, erasure, a future feature) can forget it.
 * - BEFORE UPDATE on each table sets it to clock_timestamp() when a column that matters
 *   changed (the statement's time, not the transaction's start, so a long transaction's
 *   rows are not dated long before they become visible).
 * - A person's subscriptions (added, status changed, removed) and tags (added, removed) are
 *   part of the person as a sync client sees it: statement-level triggers bump the people
 *   rows they name (one UPDATE per statement, so an import of 100,000 rows is one UPDATE).
 * - Deleting people (erasure, retention, an orphan dropped by the worker) writes their ids
 *   to erased_people.
 * Existing rows get the latest time they are known to have changed (a one-off rewrite of
 * the three tables).
 */
export class AddModifiedAt1796591534182 implements MigrationInterface {
  name = 'AddModifiedAt1796591534182';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "erased_people" (
                "id" uuid NOT NULL,
                "erased_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                CONSTRAINT "PK_9e8fe089f1794493149deb5b077" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_erased_people_erased" ON "erased_people" ("erased_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "people"
            ADD "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp()
        `);
    await queryRunner.query(`
            ALTER TABLE "rsvps"
            ADD "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp()
        `);
    await queryRunner.query(`
            ALTER TABLE "signatures"
            ADD "modified_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp()
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_people_modified" ON "people" ("modified_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_rsvps_event_modified" ON "rsvps" ("event_id", "modified_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_signatures_petition_modified" ON "signatures" ("petition_id", "modified_at", "id")
        `);
    await queryRunner.query(`UPDATE "people" SET "modified_at" = GREATEST("created_at", "updated_at", "confirmed_at", "imported_at")`);
    await queryRunner.query(`UPDATE "signatures" SET "modified_at" = GREATEST("created_at", "confirmed_at")`);
    await queryRunner.query(`UPDATE "rsvps" SET "modified_at" = GREATEST("created_at", "updated_at", "confirmed_at", "cancelled_at")`);

    await queryRunner.query(`
            CREATE FUNCTION touch_modified_at() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.modified_at := clock_timestamp();
              RETURN NEW;
            END $$
        `);
    for (const [table, columns] of [
      ['people', PEOPLE_COLUMNS],
      ['signatures', SIGNATURE_COLUMNS],
      ['rsvps', RSVP_COLUMNS],
    ] as const) {
      await queryRunner.query(`
            CREATE TRIGGER ${table}_touch_modified_at BEFORE UPDATE ON "${table}"
            FOR EACH ROW WHEN (${changed([...columns])}) EXECUTE FUNCTION touch_modified_at()
        `);
    }

    // A person's subscriptions and tags: bump the people rows a statement touched. Transition
    // tables allow one event per trigger, hence one trigger per event.
    await queryRunner.query(`
            CREATE FUNCTION touch_person_from_new_rows() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              UPDATE people SET modified_at = clock_timestamp() WHERE id IN (SELECT person_id FROM new_rows);
              RETURN NULL;
            END $$
        `);
    await queryRunner.query(`
            CREATE FUNCTION touch_person_from_old_rows() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              UPDATE people SET modified_at = clock_timestamp() WHERE id IN (SELECT person_id FROM old_rows);
              RETURN NULL;
            END $$
        `);
    await queryRunner.query(`
            CREATE FUNCTION touch_person_from_changed_subscriptions() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              UPDATE people SET modified_at = clock_timestamp()
              WHERE id IN (SELECT n.person_id FROM new_rows n JOIN old_rows o ON o.id = n.id
                           WHERE n.status IS DISTINCT FROM o.status OR n.list_id IS DISTINCT FROM o.list_id);
              RETURN NULL;
            END $$
        `);
    for (const table of ['subscriptions', 'person_tags']) {
      await queryRunner.query(`
            CREATE TRIGGER ${table}_touch_person_insert AFTER INSERT ON "${table}"
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION touch_person_from_new_rows()
        `);
      await queryRunner.query(`
            CREATE TRIGGER ${table}_touch_person_delete AFTER DELETE ON "${table}"
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION touch_person_from_old_rows()
        `);
    }
    await queryRunner.query(`
            CREATE TRIGGER subscriptions_touch_person_update AFTER UPDATE ON "subscriptions"
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
            EXECUTE FUNCTION touch_person_from_changed_subscriptions()
        `);

    await queryRunner.query(`
            CREATE FUNCTION tombstone_people() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO erased_people (id) SELECT id FROM old_rows ON CONFLICT (id) DO NOTHING;
              RETURN NULL;
            END $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER people_tombstone AFTER DELETE ON "people"
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tombstone_people()
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER people_tombstone ON "people"`);
    await queryRunner.query(`DROP FUNCTION tombstone_people()`);
    await queryRunner.query(`DROP TRIGGER subscriptions_touch_person_update ON "subscriptions"`);
    for (const table of ['subscriptions', 'person_tags']) {
      await queryRunner.query(`DROP TRIGGER ${table}_touch_person_insert ON "${table}"`);
      await queryRunner.query(`DROP TRIGGER ${table}_touch_person_delete ON "${table}"`);
    }
    await queryRunner.query(`DROP FUNCTION touch_person_from_changed_subscriptions()`);
    await queryRunner.query(`DROP FUNCTION touch_person_from_old_rows()`);
    await queryRunner.query(`DROP FUNCTION touch_person_from_new_rows()`);
    for (const table of ['people', 'signatures', 'rsvps']) await queryRunner.query(`DROP TRIGGER ${table}_touch_modified_at ON "${table}"`);
    await queryRunner.query(`DROP FUNCTION touch_modified_at()`);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_signatures_petition_modified"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_rsvps_event_modified"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_people_modified"
        `);
    await queryRunner.query(`
            ALTER TABLE "signatures" DROP COLUMN "modified_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "rsvps" DROP COLUMN "modified_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "people" DROP COLUMN "modified_at"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_erased_people_erased"
        `);
    await queryRunner.query(`
            DROP TABLE "erased_people"
        `);
  }
}
