import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { createHttpApp } from '../../src/http-app';
import { WorkerModule } from '../../src/worker.module';

export interface Platform {
  api: NestFastifyApplication;
  worker?: INestApplicationContext;
  db: DataSource;
  close(): Promise<void>;
}

/**
 * Starts the real API (and, unless told not to, the real workers) in this process against
 * the test PostgreSQL and Redis. `env` overrides configuration for this platform only.
 */
export async function startPlatform(env: Record<string, string | undefined> = {}, options: { worker?: boolean } = {}): Promise<Platform> {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries(env)) {
    saved[key] = process.env[key];
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  const config = loadConfig(process.env);
  const api = await createHttpApp(config);
  await api.init();
  await api.getHttpAdapter().getInstance().ready();
  const worker = options.worker === false ? undefined : await NestFactory.createApplicationContext(WorkerModule, { logger: false });
  await worker?.init();
  const db = api.get(DataSource);
  return {
    api,
    worker,
    db,
    async close() {
      await worker?.close();
      await api.close();
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    },
  };
}
