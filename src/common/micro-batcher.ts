/** One item's outcome in a batch: its value, or the error that is its own (a closed petition). */
export type BatchOutcome<O> = { value: O } | { error: unknown };

export interface MicroBatcherOptions<I, O> {
  /** Writes the items together; one outcome per item, in order. A throw fails every item of the batch. */
  run: (items: I[]) => Promise<Array<BatchOutcome<O>>>;
  /** Most items in one batch (one statement stays bounded). */
  maxBatch: number;
  /** Batches running at once (database connections the batcher may hold). */
  maxInFlight: number;
}

interface Waiting<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit in the process: items submitted while the event loop is busy (requests parsed
 * in the same turn) or while every batch slot is taken are written together, and each caller
 * is answered once its own batch has run. No timer: a lone item goes on the next turn, and
 * batches grow with the load by themselves (the slower the database, the more waits for the
 * next slot), so latency is lowest when the load is low.
 */
export class MicroBatcher<I, O> {
  private queue: Array<Waiting<I, O>> = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly options: MicroBatcherOptions<I, O>) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Items waiting for a slot (not counting those being written). */
  get waiting(): number {
    return this.queue.length;
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    // After the I/O of this turn: every request already read joins the same batch.
    setImmediate(() => {
      this.scheduled = false;
      while (this.inFlight < this.options.maxInFlight && this.queue.length > 0) this.start(this.queue.splice(0, this.options.maxBatch));
    });
  }

  private start(batch: Array<Waiting<I, O>>): void {
    this.inFlight++;
    void this.runBatch(batch).finally(() => {
      this.inFlight--;
      this.schedule();
    });
  }

  private async runBatch(batch: Array<Waiting<I, O>>): Promise<void> {
    let outcomes: Array<BatchOutcome<O>>;
    try {
      outcomes = await this.options.run(batch.map((w) => w.item));
      if (outcomes.length !== batch.length) throw new Error(`batch returned ${outcomes.length} outcomes for ${batch.length} items`);
    } catch (err) {
      for (const w of batch) w.reject(err);
      return;
    }
    batch.forEach((w, i) => {
      const outcome = outcomes[i];
      if ('error' in outcome) w.reject(outcome.error);
      else w.resolve(outcome.value);
    });
  }
}
