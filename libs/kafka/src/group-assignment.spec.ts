import { consumptionProblems, GroupMember } from './group-assignment';

const member = (memberId: string, subscription: string[], assignment: Record<string, number[]>) =>
  ({ memberId, subscription, assignment }) satisfies GroupMember;
const self = { memberId: 'a', topics: ['usage.a'] };

describe('consumptionProblems', () => {
  it('finds nothing when the group spreads its own topic over members subscribed to it', () => {
    const members = [
      member('a', ['usage.a'], { 'usage.a': [0] }),
      member('b', ['usage.a'], { 'usage.a': [1] }),
    ];
    expect(consumptionProblems(self, members, new Map([['usage.a', [0, 1]]]))).toEqual([]);
  });

  it('reports topics this member was given but never subscribed to', () => {
    const members = [
      member('a', ['usage.a'], { 'usage.a': [0], 'usage.b': [0] }),
      member('b', ['usage.b'], { 'usage.a': [1], 'usage.b': [1] }),
    ];
    expect(consumptionProblems(self, members, new Map())).toEqual([
      { kind: 'foreign_topics', topics: ['usage.b'] },
    ]);
  });

  it('reports lagging partitions of its topics that no subscribed member holds', () => {
    const members = [
      member('a', ['usage.a'], { 'usage.a': [0], 'usage.b': [0] }),
      member('b', ['usage.b'], { 'usage.a': [1], 'usage.b': [1] }),
    ];
    expect(consumptionProblems(self, members, new Map([['usage.a', [0, 1]]]))).toContainEqual({
      kind: 'unassigned_partitions',
      topic: 'usage.a',
      partitions: [1],
    });
  });

  it('does not report an unheld partition without lag: nothing is stalled', () => {
    const members = [member('a', ['usage.a'], { 'usage.a': [0] })];
    expect(consumptionProblems(self, members, new Map([['usage.a', [0]]]))).toEqual([]);
  });
});
