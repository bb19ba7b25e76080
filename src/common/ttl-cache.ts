interface Entry<V> {
  /** When the value stops being fresh. */
  expires: number;
  value: Promise<V>;
  /** The value has arrived (a pending load is shared, never served stale). */
  settled: boolean;
  /** The value itself once settled, for `peek`. */
  resolved?: V;
  refreshing: boolean;
}

/**
 * A small in-process cache for public reads: each key is loaded at most once per `ttlMs`
 * per process, however many requests arrive (concurrent misses share one load). A viral
 * petition then costs the database one cheap query per second per API process.
 *
 * For `staleMs` after it expires, a value is still served while one request's reload runs in
 * the background: under steady traffic no request waits for the database (a slow query
 * would otherwise hold every reader and signer of the petition each second), and nothing
 * served is older than `ttlMs + staleMs`. A key idle for longer is loaded afresh.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly staleMs = 0,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    const now = Date.now();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (hit && hit.settled && hit.expires + this.staleMs > now) {
      if (!hit.refreshing) this.refresh(key, hit, load);
      return hit.value;
    }
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    return this.store(key, load(), now).value;
  }

  /**
   * The value when it is here already (fresh, or stale and being reloaded, as `get` would
   * serve it), without a promise: the lean public reads answer from it in the same turn.
   * Undefined when `get` would have to wait for a load.
   */
  peek(key: string, load: () => Promise<V>): { value: V } | undefined {
    const hit = this.entries.get(key);
    if (!hit || !hit.settled) return undefined;
    const now = Date.now();
    if (hit.expires > now) return { value: hit.resolved as V };
    if (hit.expires + this.staleMs > now) {
      if (!hit.refreshing) this.refresh(key, hit, load);
      return { value: hit.resolved as V };
    }
    return undefined;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  private store(key: string, value: Promise<V>, now: number): Entry<V> {
    const entry: Entry<V> = { expires: now + this.ttlMs, value, settled: false, refreshing: false };
    this.entries.set(key, entry);
    value.then(
      (resolved) => {
        entry.resolved = resolved;
        entry.settled = true;
      },
      // A failed load is not cached: the next request tries again.
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry;
  }

  private refresh(key: string, stale: Entry<V>, load: () => Promise<V>): void {
    stale.refreshing = true;
    const started = Date.now();
    load().then(
      (value) => {
        // Unless it was deleted (an organizer's change) or replaced meanwhile.
        if (this.entries.get(key) !== stale) return;
        const entry = this.store(key, Promise.resolve(value), started);
        entry.resolved = value;
        entry.settled = true;
      },
      () => {
        // The stale value stays until its time is up; the next request tries again.
        stale.refreshing = false;
      },
    );
  }
}
