/**
 * The newsletter messages one worker process may hold claimed and not yet recorded, as
 * counted slots shared by every batch it sends. This is the bound on what a killed worker
 * leaves in doubt: a delivery is claimed only with a slot, and its slot comes back only once
 * its outcome is stored (see README.md, "Exactly once").
 */
export class SendSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  /**
   * Waits until at least `atLeast` slots are free (at most `size`), then takes up to
   * `wanted`; answers how many. Waiting for a few at once keeps claims from shrinking to one
   * message each when slots come back one by one.
   */
  async take(wanted: number, atLeast = 1): Promise<number> {
    const needed = Math.max(1, Math.min(atLeast, wanted, this.size));
    while (this.free < needed) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const taken = Math.min(wanted, this.free);
    this.free -= taken;
    return taken;
  }

  give(count: number): void {
    this.free += count;
    // Every waiter looks again: each waits for its own number of slots.
    for (const wake of this.waiting.splice(0)) wake();
  }
}
