import { BatchOutcome, MicroBatcher } from './micro-batcher';

/** A batcher whose batches finish when the test says so; records what each batch held. */
function controlled(options: { maxBatch?: number; maxInFlight?: number } = {}) {
  const batches: number[][] = [];
  const finishers: Array<(outcomes?: Array<BatchOutcome<string>> | Error) => void> = [];
  const batcher = new MicroBatcher<number, string>({
    maxBatch: options.maxBatch ?? 100,
    maxInFlight: options.maxInFlight ?? 1,
    run: (items) => {
      batches.push(items);
      return new Promise((resolve, reject) => {
        finishers.push((outcomes) => {
          if (outcomes instanceof Error) reject(outcomes);
          else resolve(outcomes ?? items.map((i) => ({ value: `done ${i}` })));
        });
      });
    },
  });
  return { batcher, batches, finish: (n: number, outcomes?: Array<BatchOutcome<string>> | Error) => finishers[n](outcomes) };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('MicroBatcher', () => {
  it('puts everything submitted in one turn in one batch and answers each item with its own outcome', async () => {
    const { batcher, batches, finish } = controlled();
    const answers = [1, 2, 3].map((i) => batcher.submit(i));
    await turn();
    expect(batches).toEqual([[1, 2, 3]]);
    finish(0);
    expect(await Promise.all(answers)).toEqual(['done 1', 'done 2', 'done 3']);
  });

  it('collects what arrives while every slot is busy into the next batch', async () => {
    const { batcher, batches, finish } = controlled({ maxInFlight: 1 });
    const first = batcher.submit(1);
    await turn();
    const later = [2, 3, 4].map((i) => batcher.submit(i));
    await turn();
    expect(batches).toEqual([[1]]);
    expect(batcher.waiting).toBe(3);
    finish(0);
    await first;
    await turn();
    await turn();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    finish(1);
    expect(await Promise.all(later)).toEqual(['done 2', 'done 3', 'done 4']);
  });

  it('uses up to maxInFlight slots and never puts more than maxBatch items in a batch', async () => {
    const { batcher, batches, finish } = controlled({ maxBatch: 2, maxInFlight: 2 });
    const answers = [1, 2, 3, 4, 5].map((i) => batcher.submit(i));
    await turn();
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    finish(1);
    await turn();
    await turn();
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    finish(0);
    finish(2);
    expect(await Promise.all(answers)).toHaveLength(5);
  });

  it('fails every item of a failed batch, and only those; the next batch runs', async () => {
    const { batcher, batches, finish } = controlled({ maxInFlight: 1 });
    const failing = [1, 2].map((i) => batcher.submit(i));
    await turn();
    const next = batcher.submit(3);
    finish(0, new Error('connection terminated'));
    for (const answer of failing) await expect(answer).rejects.toThrow('connection terminated');
    await turn();
    expect(batches).toEqual([[1, 2], [3]]);
    finish(1);
    expect(await next).toBe('done 3');
  });

  it('rejects one item with its own error while the others of the batch succeed', async () => {
    const { batcher, finish } = controlled();
    const answers = [1, 2].map((i) => batcher.submit(i));
    await turn();
    finish(0, [{ value: 'done 1' }, { error: new Error('closed') }]);
    expect(await answers[0]).toBe('done 1');
    await expect(answers[1]).rejects.toThrow('closed');
  });

  it('fails the batch when the writer returns the wrong number of outcomes', async () => {
    const { batcher, finish } = controlled();
    const answers = [1, 2].map((i) => batcher.submit(i));
    await turn();
    finish(0, [{ value: 'done 1' }]);
    for (const answer of answers) await expect(answer).rejects.toThrow('1 outcomes for 2 items');
  });
});
