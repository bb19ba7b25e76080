import { TtlCache } from './ttl-cache';

describe('TtlCache', () => {
  it('loads a key once per period, concurrent misses sharing the load', async () => {
    const cache = new TtlCache<number>(60_000);
    let loads = 0;
    const load = (): Promise<number> => Promise.resolve(++loads);
    expect(await Promise.all([cache.get('a', load), cache.get('a', load), cache.get('a', load)])).toEqual([1, 1, 1]);
    expect(loads).toBe(1);
    cache.delete('a');
    expect(await cache.get('a', load)).toBe(2);
  });

  it('does not keep a failed load', async () => {
    const cache = new TtlCache<number>(60_000);
    await expect(cache.get('a', () => Promise.reject(new Error('database away')))).rejects.toThrow('database away');
    expect(await cache.get('a', () => Promise.resolve(7))).toBe(7);
  });

  it('expires entries', async () => {
    const cache = new TtlCache<number>(1);
    await cache.get('a', () => Promise.resolve(1));
    await new Promise((r) => setTimeout(r, 5));
    expect(await cache.get('a', () => Promise.resolve(2))).toBe(2);
  });
});

describe('TtlCache, stale while reloading', () => {
  const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('serves the expired value while one reload runs, then the reloaded one', async () => {
    const cache = new TtlCache<number>(10, 100, 10_000);
    let loads = 0;
    let finish: (() => void) | undefined;
    const slowLoad = (): Promise<number> => {
      loads++;
      const n = loads;
      return n === 1 ? Promise.resolve(n) : new Promise((r) => (finish = () => r(n)));
    };
    expect(await cache.get('a', slowLoad)).toBe(1);
    await tick(20);
    // Expired: every request gets the old value at once, and only one reload starts.
    expect(await Promise.all([cache.get('a', slowLoad), cache.get('a', slowLoad)])).toEqual([1, 1]);
    expect(loads).toBe(2);
    finish?.();
    await tick(0);
    expect(await cache.get('a', slowLoad)).toBe(2);
  });

  it('keeps the old value when the reload fails, and tries again', async () => {
    const cache = new TtlCache<number>(10, 100, 10_000);
    await cache.get('a', () => Promise.resolve(1));
    await tick(20);
    expect(await cache.get('a', () => Promise.reject(new Error('database away')))).toBe(1);
    await tick(0);
    expect(await cache.get('a', () => Promise.resolve(3))).toBe(1);
    await tick(0);
    expect(await cache.get('a', () => Promise.resolve(4))).toBe(3);
  });

  it('loads afresh, and waits, once the value is older than ttl + stale', async () => {
    const cache = new TtlCache<number>(5, 100, 5);
    await cache.get('a', () => Promise.resolve(1));
    await tick(20);
    expect(await cache.get('a', () => Promise.resolve(2))).toBe(2);
  });

  it('never serves a value from before a delete', async () => {
    const cache = new TtlCache<number>(10, 100, 10_000);
    await cache.get('a', () => Promise.resolve(1));
    await tick(20);
    let finish: (() => void) | undefined;
    expect(await cache.get('a', () => new Promise((r) => (finish = () => r(2))))).toBe(1);
    cache.delete('a');
    finish?.();
    await tick(0);
    expect(await cache.get('a', () => Promise.resolve(3))).toBe(3);
  });

  it('peeks at a settled value without a promise, as get would serve it', async () => {
    const cache = new TtlCache<number>(60_000);
    let loads = 0;
    const load = (): Promise<number> => Promise.resolve(++loads);
    expect(cache.peek('a', load)).toBeUndefined();
    const pending = cache.get('a', load);
    // A load under way is not a value yet: the caller waits for it through get.
    expect(cache.peek('a', load)).toBeUndefined();
    await pending;
    expect(cache.peek('a', load)).toEqual({ value: 1 });
    cache.delete('a');
    expect(cache.peek('a', load)).toBeUndefined();
    expect(loads).toBe(1);
  });
});
