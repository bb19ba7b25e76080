/**
 * The newsletter pool's connections as counted slots, one process-wide: a delivery is
 * claimed only when a connection is free to carry it at once, so every message a worker
 * has claimed is either inside its SMTP transaction or already answered, never waiting in a
 * queue. That keeps what a killed worker leaves in doubt to what SMTP really had in hand.
 */
export class SendSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  /** Waits until at least one slot is free, then takes up to `wanted`; answers how many. */
  async take(wanted: number): Promise<number> {
    while (this.free === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    const taken = Math.min(wanted, this.free);
    this.free -= taken;
    return taken;
  }

  give(count: number): void {
    this.free += count;
    for (let i = 0; i < count && this.waiting.length > 0; i++) this.waiting.shift()!();
  }
}
