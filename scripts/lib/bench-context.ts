// What every scenario of `npm run bench` is handed: the options, the running platform and
// its database, the sink, the baselines, and where its rows and details go.
import type { ChildProcess } from 'node:child_process';
import type { Client } from 'pg';
import type { Baselines } from './bench-baselines';
import type { RowInput } from './bench-report';
import type { Seeded } from './bench-seed';
import type { BenchOptions, Cleanup } from './bench-setup';
import type { SinkProcess } from './bench-sink';
import type { RunningPlatform } from './measure-platform';

export interface BenchContext extends Seeded {
  options: BenchOptions;
  cleanup: Cleanup;
  details: Record<string, unknown>;
  report(row: RowInput): void;
  /** The API's base URL. */
  base: string;
  env: NodeJS.ProcessEnv;
  db: Client;
  sink: SinkProcess;
  /** An admin organizer's API key. */
  key: string;
  baselines: Baselines;
  platform: RunningPlatform;
  /** Stops the platform's workers (SIGTERM, waiting for them to finish their jobs). */
  stopWorkers(): Promise<void>;
  /** Starts the workers again (after stopWorkers). */
  startWorkers(): ChildProcess[];
}
