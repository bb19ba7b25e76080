import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard's rollup (src/console-dashboard/daily-count.entity.ts): per-day counts of
 * confirmed sign-ups and signatures and the net change of each list's subscribers, kept by
 * statement-level triggers with transition tables in the transaction that changes the
 * rows. A statement costs one grouped upsert whatever its size (an import's COPY of a
 * million subscriptions adds a few rows), and the dashboard reads at most a few thousand
 * small rows instead of counting millions. Existing rows are counted once here.
 */
export class CreateDailyCounts1796592941861 implements MigrationInterface {
  name = 'CreateDailyCounts1796592941861';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "daily_counts" (
                "metric" character varying(16) NOT NULL,
                "subject" uuid NOT NULL,
                "day" date NOT NULL,
                "slot" smallint NOT NULL,
                "n" bigint NOT NULL DEFAULT '0',
                CONSTRAINT "PK_814ae132267bcbccbf0a1a4b652" PRIMARY KEY ("metric", "subject", "day", "slot")
            )
        `);
    // Confirmed records (signups, signatures): +1 on the day of confirmed_at when a row
    // becomes or is inserted confirmed, -1 on its day when it stops being so or is deleted.
    // An UPDATE that leaves a confirmed row confirmed on the same day nets out to nothing.
    await queryRunner.query(`
            CREATE FUNCTION daily_counts_confirmed() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              IF TG_OP = 'INSERT' THEN
                INSERT INTO daily_counts (metric, subject, day, slot, n)
                SELECT TG_ARGV[0], '00000000-0000-0000-0000-000000000000',
                       (coalesce(r.confirmed_at, r.created_at) AT TIME ZONE 'UTC')::date, pg_backend_pid() % 16, count(*)
                FROM new_rows r WHERE r.status = 'confirmed' GROUP BY 3
                ON CONFLICT (metric, subject, day, slot) DO UPDATE SET n = daily_counts.n + excluded.n;
              ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO daily_counts (metric, subject, day, slot, n)
                SELECT TG_ARGV[0], '00000000-0000-0000-0000-000000000000',
                       (coalesce(r.confirmed_at, r.created_at) AT TIME ZONE 'UTC')::date, pg_backend_pid() % 16, -count(*)
                FROM old_rows r WHERE r.status = 'confirmed' GROUP BY 3
                ON CONFLICT (metric, subject, day, slot) DO UPDATE SET n = daily_counts.n + excluded.n;
              ELSE
                INSERT INTO daily_counts (metric, subject, day, slot, n)
                SELECT TG_ARGV[0], '00000000-0000-0000-0000-000000000000', c.day, pg_backend_pid() % 16, sum(c.d)
                FROM (
                  SELECT (coalesce(r.confirmed_at, r.created_at) AT TIME ZONE 'UTC')::date AS day, 1 AS d
                  FROM new_rows r WHERE r.status = 'confirmed'
                  UNION ALL
                  SELECT (coalesce(r.confirmed_at, r.created_at) AT TIME ZONE 'UTC')::date, -1
                  FROM old_rows r WHERE r.status = 'confirmed'
                ) c GROUP BY c.day HAVING sum(c.d) <> 0
                ON CONFLICT (metric, subject, day, slot) DO UPDATE SET n = daily_counts.n + excluded.n;
              END IF;
              RETURN NULL;
            END
            $fn$
        `);
    // Subscriptions: the net change of each list's subscribed rows, on the day it happens.
    await queryRunner.query(`
            CREATE FUNCTION daily_counts_subscribers() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              IF TG_OP = 'INSERT' THEN
                INSERT INTO daily_counts (metric, subject, day, slot, n)
                SELECT 'subscriber', r.list_id, (now() AT TIME ZONE 'UTC')::date, pg_backend_pid() % 16, count(*)
                FROM new_rows r WHERE r.status = 'subscribed' GROUP BY r.list_id
                ON CONFLICT (metric, subject, day, slot) DO UPDATE SET n = daily_counts.n + excluded.n;
              ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO daily_counts (metric, subject, day, slot, n)
                SELECT 'subscriber', r.list_id, (now() AT TIME ZONE 'UTC')::date, pg_backend_pid() % 16, -count(*)
                FROM old_rows r WHERE r.status = 'subscribed' GROUP BY r.list_id
                ON CONFLICT (metric, subject, day, slot) DO UPDATE SET n = daily_counts.n + excluded.n;
              ELSE
                INSERT INTO daily_counts (metric, subject, day, slot, n)
                SELECT 'subscriber', c.list_id, (now() AT TIME ZONE 'UTC')::date, pg_backend_pid() % 16, sum(c.d)
                FROM (
                  SELECT r.list_id, 1 AS d FROM new_rows r WHERE r.status = 'subscribed'
                  UNION ALL
                  SELECT r.list_id, -1 FROM old_rows r WHERE r.status = 'subscribed'
                ) c GROUP BY c.list_id HAVING sum(c.d) <> 0
                ON CONFLICT (metric, subject, day, slot) DO UPDATE SET n = daily_counts.n + excluded.n;
              END IF;
              RETURN NULL;
            END
            $fn$
        `);
    await queryRunner.query(`
            CREATE FUNCTION daily_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
              DELETE FROM daily_counts WHERE metric = TG_ARGV[0];
              RETURN NULL;
            END
            $fn$
        `);
    for (const [table, fn, metric] of [
      ['signups', 'daily_counts_confirmed', `'signup'`],
      ['signatures', 'daily_counts_confirmed', `'signature'`],
      ['subscriptions', 'daily_counts_subscribers', ''],
    ]) {
      // A trigger with transition tables may have one event only: three of them per table.
      await queryRunner.query(`
            CREATE TRIGGER "TRG_${table}_daily_insert" AFTER INSERT ON "${table}"
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}(${metric})
        `);
      await queryRunner.query(`
            CREATE TRIGGER "TRG_${table}_daily_update" AFTER UPDATE ON "${table}"
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}(${metric})
        `);
      await queryRunner.query(`
            CREATE TRIGGER "TRG_${table}_daily_delete" AFTER DELETE ON "${table}"
            REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ${fn}(${metric})
        `);
      await queryRunner.query(`
            CREATE TRIGGER "TRG_${table}_daily_truncate" AFTER TRUNCATE ON "${table}"
            FOR EACH STATEMENT EXECUTE FUNCTION daily_counts_truncated(${metric || `'subscriber'`})
        `);
    }
    await queryRunner.query(`
            INSERT INTO daily_counts (metric, subject, day, slot, n)
            SELECT 'signup', '00000000-0000-0000-0000-000000000000', (coalesce(confirmed_at, created_at) AT TIME ZONE 'UTC')::date, 0, count(*)
            FROM signups WHERE status = 'confirmed' GROUP BY 3
        `);
    await queryRunner.query(`
            INSERT INTO daily_counts (metric, subject, day, slot, n)
            SELECT 'signature', '00000000-0000-0000-0000-000000000000', (coalesce(confirmed_at, created_at) AT TIME ZONE 'UTC')::date, 0, count(*)
            FROM signatures WHERE status = 'confirmed' GROUP BY 3
        `);
    await queryRunner.query(`
            INSERT INTO daily_counts (metric, subject, day, slot, n)
            SELECT 'subscriber', list_id, (coalesce(subscribed_at, created_at) AT TIME ZONE 'UTC')::date, 0, count(*)
            FROM subscriptions WHERE status = 'subscribed' GROUP BY 2, 3
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['signups', 'signatures', 'subscriptions']) {
      for (const event of ['insert', 'update', 'delete', 'truncate']) {
        await queryRunner.query(`DROP TRIGGER "TRG_${table}_daily_${event}" ON "${table}"`);
      }
    }
    await queryRunner.query(`DROP FUNCTION daily_counts_truncated()`);
    await queryRunner.query(`DROP FUNCTION daily_counts_subscribers()`);
    await queryRunner.query(`DROP FUNCTION daily_counts_confirmed()`);
    await queryRunner.query(`
            DROP TABLE "daily_counts"
        `);
  }
}
