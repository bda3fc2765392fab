import { Charge } from '../model/tracked-limit';

/** Sums charges to the same window of the same counter, keeping first-seen order. */
export function aggregateCharges(charges: readonly Charge[]): Charge[] {
  const byWindow = new Map<string, Charge>();
  for (const charge of charges) {
    const key = JSON.stringify([charge.counterKey, charge.windowStart.getTime()]);
    const seen = byWindow.get(key);
    // New objects, never the caller's: inputs stay untouched when a batch is retried.
    byWindow.set(
      key,
      seen
        ? { ...seen, amount: seen.amount + charge.amount }
        : { ...charge, windowStart: new Date(charge.windowStart.getTime()) },
    );
  }
  return [...byWindow.values()];
}
