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
