import { Charge } from '../model/tracked-limit';
import { aggregateCharges } from './aggregate-charges';

const aCharge = (overrides: Partial<Charge> = {}): Charge => ({
  counterKey: 'config-1/budget/b1/cost/g1',
  windowStart: new Date('2025-03-10T00:00:00Z'),
  amount: 5n,
  ...overrides,
});

describe('aggregateCharges', () => {
  it('sums charges to the same counter and window', () => {
    const charges = [aCharge({ amount: 5n }), aCharge({ amount: 7n }), aCharge({ amount: 1n })];
    expect(aggregateCharges(charges)).toEqual([aCharge({ amount: 13n })]);
  });

  it('compares windows by instant, not by Date identity', () => {
    const charges = [
      aCharge({ windowStart: new Date('2025-03-10T00:00:00Z') }),
      aCharge({ windowStart: new Date('2025-03-10T00:00:00Z') }),
    ];
    expect(aggregateCharges(charges)).toHaveLength(1);
  });

  it('keeps different windows of one counter apart', () => {
    const earlier = aCharge({ windowStart: new Date('2025-03-09T00:00:00Z'), amount: 2n });
    const later = aCharge({ amount: 3n });
    expect(aggregateCharges([earlier, later])).toEqual([earlier, later]);
  });

  it('keeps different counters in one window apart, in first-seen order', () => {
    const b = aCharge({ counterKey: 'b', amount: 1n });
    const a = aCharge({ counterKey: 'a', amount: 2n });
    expect(aggregateCharges([b, a, b])).toEqual([aCharge({ counterKey: 'b', amount: 2n }), a]);
  });

  it('returns nothing for nothing', () => {
    expect(aggregateCharges([])).toEqual([]);
  });

  it('leaves its input untouched', () => {
    const first = aCharge({ amount: 5n });
    aggregateCharges([first, aCharge({ amount: 7n })]);
    expect(first.amount).toBe(5n);
  });
});
