import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CoreModule } from '../src/core.module';
import { ConfirmationJob, CONFIRMATIONS_QUEUE } from '../src/queues/confirmations.queue';
import { ConfirmationsProcessor } from '../src/queues/confirmations.processor';
import { OnJob } from '../src/queues/job-handlers';
import { WorkerModule } from '../src/worker.module';

/** A second handler for a job name the events feature already handles. */
@Injectable()
class SendsEventEmailsToo {
  @OnJob({ queue: CONFIRMATIONS_QUEUE, name: ConfirmationJob.SendEventEmail })
  send(): Promise<void> {
    return Promise.resolve();
  }
}

@Module({ imports: [WorkerModule], providers: [SendsEventEmailsToo] })
class WorkerWithTwoHandlers {}

/** The confirmations consumer with none of the features that handle its jobs. */
@Module({ imports: [CoreModule], providers: [ConfirmationsProcessor] })
class ConsumerWithoutHandlers {}

/** The worker's wiring is checked at start: every job name of a queue has exactly one handler, or nothing runs. */
describe('worker start-up: one handler per job name', () => {
  /** Starts a worker application as dist/worker.js does; the error it refuses with, or null. */
  async function start(module: new () => unknown): Promise<unknown> {
    try {
      const app = await NestFactory.createApplicationContext(module, { logger: false });
      await app.init();
      await app.close();
      return null;
    } catch (err) {
      return err;
    }
  }

  it('the real worker starts: every catalogued job has its one handler', async () => {
    expect(await start(WorkerModule)).toBeNull();
  });

  it('refuses to start with two handlers for one job name', async () => {
    expect(String(await start(WorkerWithTwoHandlers))).toContain('two handlers for job send-event-email on queue confirmations');
  });

  it('refuses to start when a job name of its queue has no handler', async () => {
    const err = String(await start(ConsumerWithoutHandlers));
    for (const name of Object.values(ConfirmationJob)) expect(err).toContain(`no handler for job ${name}`);
  });
});
