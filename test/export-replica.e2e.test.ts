import request from 'supertest';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';
import { createOrganizer } from './factories/organizer.factory';
import { createPerson } from './factories/person.factory';
import { csvRecords, rawBody } from './support/csv';
import { Platform, startPlatform } from './support/platform';
import { postgresBinDir, TestPostgresPair } from './support/postgres-pair';

const DATABASE = 'campaign_replica_test';

const describeWithPostgres = postgresBinDir()
  ? describe
  : (console.warn('skipping: initdb, pg_ctl or pg_basebackup is missing (apt-get install postgresql; .ci/run installs it)'), describe.skip);

/**
 * EXPORT_DATABASE_URL on a real streaming replica: a primary and a hot standby of the test's
 * own (initdb, pg_basebackup -R), the API writing to the primary and exporting from the
 * replica. Pausing the replica's replay shows which server the export read.
 */
describeWithPostgres('CSV exports from a streaming replica (EXPORT_DATABASE_URL)', () => {
  let pair: TestPostgresPair;
  let platform: Platform;
  let key: string;
  const download = async (): Promise<Array<Record<string, string>>> =>
    csvRecords(
      await request(platform.api.getHttpServer())
        .get('/api/v1/admin/exports/people.csv')
        .set('authorization', `Bearer ${key}`)
        .buffer(true)
        .parse(rawBody)
        .expect(200),
    );

  beforeAll(async () => {
    pair = await TestPostgresPair.start(DATABASE);
    const primary = new DataSource(dataSourceOptions({ DATABASE_URL: pair.url(pair.primaryPort, DATABASE) }));
    await primary.initialize();
    await primary.runMigrations();
    await primary.destroy();
    await pair.caughtUp(DATABASE);
    platform = await startPlatform(
      { DATABASE_URL: pair.url(pair.primaryPort, DATABASE), EXPORT_DATABASE_URL: pair.url(pair.replicaPort, DATABASE) },
      { worker: false },
    );
    key = (await createOrganizer(platform.api, 'organizer')).apiKey;
  }, 120_000);
  afterAll(async () => {
    await platform?.close();
    await pair?.stop();
  }, 60_000);

  it('lists what the replica has replayed, and records the export (with its row count) on the primary', async () => {
    const first = await createPerson(platform.db, { givenName: 'أمل' });
    const second = await createPerson(platform.db, { givenName: 'Sam' });
    await pair.caughtUp(DATABASE);
    expect((await download()).map((r) => r.id).sort()).toEqual([first.id, second.id].sort());

    // Replay paused: a person written on the primary now is not on the replica yet, and the export does not list them.
    await pair.replay(DATABASE, false);
    try {
      const third = await createPerson(platform.db, { givenName: 'Kian' });
      const whilePaused = (await download()).map((r) => r.id);
      expect(whilePaused.sort()).toEqual([first.id, second.id].sort());
      expect(whilePaused).not.toContain(third.id);

      await pair.replay(DATABASE, true);
      await pair.caughtUp(DATABASE);
      expect((await download()).map((r) => r.id)).toContain(third.id);
    } finally {
      await pair.replay(DATABASE, true);
    }

    // The audit log lives on the primary (the replica is read-only): each export with its rows.
    const audits: Array<{ rows: number }> = await platform.db.query(
      `SELECT (details->>'rows')::int AS rows FROM audit_log WHERE action = 'export.people' ORDER BY created_at`,
    );
    expect(audits.map((a) => a.rows)).toEqual([2, 2, 3]);
  }, 60_000);
});
