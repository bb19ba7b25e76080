import { SendSlots } from './send-slots';

describe('SendSlots', () => {
  it('never hands out more slots than it has, and wakes a waiter when one is given back', async () => {
    const slots = new SendSlots(3);
    expect(await slots.take(2)).toBe(2);
    expect(await slots.take(5)).toBe(1);
    let woken = 0;
    const waiter = slots.take(4).then((n) => (woken = n));
    await Promise.resolve();
    expect(woken).toBe(0);
    slots.give(2);
    await waiter;
    expect(woken).toBe(2);
  });

  it('two waiters both get a slot when two are given back at once', async () => {
    const slots = new SendSlots(2);
    await slots.take(2);
    const a = slots.take(1);
    const b = slots.take(1);
    slots.give(2);
    expect(await Promise.all([a, b])).toEqual([1, 1]);
  });
});

describe('SendSlots with a minimum', () => {
  it('waits until that many are free, then takes what it may', async () => {
    const slots = new SendSlots(4);
    expect(await slots.take(4)).toBe(4);
    let got = 0;
    const waiter = slots.take(3, 2).then((n) => (got = n));
    slots.give(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(got).toBe(0);
    slots.give(2);
    await waiter;
    expect(got).toBe(3);
  });

  it('never waits for more than it wants or than there are', async () => {
    const slots = new SendSlots(2);
    expect(await slots.take(1, 5)).toBe(1);
    slots.give(1);
    expect(await slots.take(5, 5)).toBe(2);
  });
});
