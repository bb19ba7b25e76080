/**
 * The goal supporters see. Petition sites move the goal up once it is reached, so a
 * petition that did well keeps a target in front of it: the next rung of 1, 2.5, 5 × 10ⁿ
 * above the count (100, 250, 500, 1k, 2.5k, 5k, 10k, 25k...). An organizer who fixed the
 * goal keeps it, reached or not.
 */
export function displayedGoal(goal: number, goalFixed: boolean, signatureCount: number): number {
  if (goalFixed || signatureCount < goal) return goal;
  return nextRung(signatureCount);
}

/** The smallest rung of the ladder strictly above `count` (at least 100). */
export function nextRung(count: number): number {
  for (let power = 100; ; power *= 10) {
    for (const step of [1, 2.5, 5]) {
      const rung = step * power;
      if (rung > count) return rung;
    }
  }
}
