import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import type { Job } from 'bullmq';
import { JobHandlers, OnJob } from './job-handlers';

const QUEUE = 'q';

@Injectable()
class Plans {
  readonly seen: string[] = [];

  @OnJob({ queue: QUEUE, name: 'plan' })
  plan(data: { id: string }): Promise<void> {
    this.seen.push(data.id);
    return Promise.resolve();
  }
}

@Injectable()
class PlansAgain {
  @OnJob({ queue: QUEUE, name: 'plan' })
  plan(): Promise<void> {
    return Promise.resolve();
  }
}

async function boot(
  ...providers: Array<new (...args: never[]) => unknown>
): Promise<{ handlers: JobHandlers; get: <T>(type: new (...args: never[]) => T) => T }> {
  const moduleRef = await Test.createTestingModule({ imports: [DiscoveryModule], providers: [JobHandlers, ...providers] }).compile();
  await moduleRef.init();
  return { handlers: moduleRef.get(JobHandlers), get: (type) => moduleRef.get(type) };
}

describe('JobHandlers', () => {
  it('finds @OnJob methods at boot and runs them with the job data', async () => {
    const { handlers, get } = await boot(Plans);
    expect(() => handlers.verify(QUEUE, ['plan'])).not.toThrow();
    await handlers.run(QUEUE, { name: 'plan', data: { id: 'x' } } as Job);
    expect(get(Plans).seen).toEqual(['x']);
  });

  it('refuses two handlers for one job name: the process does not start', async () => {
    await expect(boot(Plans, PlansAgain)).rejects.toThrow('two handlers for job plan on queue q');
  });

  it('refuses a catalogue name with no handler, and a handler for a name the catalogue lacks', async () => {
    const { handlers } = await boot(Plans);
    handlers.register(QUEUE, 'plna', () => Promise.resolve());
    expect(() => handlers.verify(QUEUE, ['plan', 'send'])).toThrow(
      "queue q: no handler for job send; a handler for job plna, which the queue's catalogue does not have",
    );
  });

  it('fails a job whose name has no handler, so it stays in Redis for an operator to see', async () => {
    const { handlers } = await boot();
    await expect(handlers.run(QUEUE, { name: 'lost', data: {} } as Job)).rejects.toThrow('no handler for job lost on queue q');
  });
});
