import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { exitOnFatal, preflight } from './bootstrap';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  await preflight('worker');
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  // SIGTERM: BullMQ workers stop taking jobs and finish the active ones; then we exit.
  app.enableShutdownHooks([], { useProcessExit: true });
  await app.init();
  process.stdout.write('worker: consuming queues\n');
}

main().catch(exitOnFatal('worker'));
