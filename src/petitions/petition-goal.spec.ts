import { displayedGoal, nextRung } from './petition-goal';

describe('goal ladder', () => {
  it.each([
    [0, 100],
    [99, 100],
    [100, 250],
    [249, 250],
    [250, 500],
    [500, 1_000],
    [1_000, 2_500],
    [2_500, 5_000],
    [9_999, 10_000],
    [10_000, 25_000],
    [60_000, 100_000],
    [1_000_000, 2_500_000],
  ])('after %i signatures the next rung is %i', (count, rung) => {
    expect(nextRung(count)).toBe(rung);
  });

  it('keeps the organizer’s goal until it is reached', () => {
    expect(displayedGoal(300, false, 299)).toBe(300);
  });

  it('moves to the next rung once the goal is reached', () => {
    expect(displayedGoal(300, false, 300)).toBe(500);
    expect(displayedGoal(1_000, false, 1_200)).toBe(2_500);
  });

  it('never moves a fixed goal', () => {
    expect(displayedGoal(300, true, 5_000)).toBe(300);
  });
});
