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
