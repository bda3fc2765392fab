import { ModelConfigDefinition } from '@app/governance';
import { encodeSnapshot } from '../redis-projection/redis-config-row';
import { ConfigSnapshot } from '../snapshot/config-snapshot';
import { SnapshotDecodeCache } from './snapshot-decode-cache';

const snapshot = (id: string, version = 1): ConfigSnapshot => {
  const at = new Date('2026-01-01T00:00:00Z');
  const definition: ModelConfigDefinition = {
    id,
    modelName: 'gpt-4o',
    provider: null,
    scope: 'global',
    scopeId: null,
    scopeName: null,
    calendarAligned: false,
    budgets: [{ id: 'b', maxLimit: 5_000_000_000n, resetDuration: '1d' }],
    rateLimit: null,
    createdAt: at,
    updatedAt: at,
  };
  return { definition, limits: [], configHash: `h-${id}`, version };
};

describe('SnapshotDecodeCache', () => {
  it('decodes as decodeSnapshot does and shares the result for the same bytes', () => {
    const cache = new SnapshotDecodeCache();
    const json = encodeSnapshot(snapshot('a'));
    const first = cache.decode(json);
    expect(first).toEqual(snapshot('a'));
    expect(cache.decode(json)).toBe(first);
  });

  it('decodes a changed config again: the key is the stored JSON', () => {
    const cache = new SnapshotDecodeCache();
    expect(cache.decode(encodeSnapshot(snapshot('a', 1))).version).toBe(1);
    expect(cache.decode(encodeSnapshot(snapshot('a', 2))).version).toBe(2);
  });

  it('holds at most its capacity, dropping the oldest first', () => {
    const cache = new SnapshotDecodeCache(2);
    const [a, b, c] = ['a', 'b', 'c'].map((id) => encodeSnapshot(snapshot(id)));
    const first = cache.decode(a);
    cache.decode(b);
    cache.decode(c);
    expect(cache.size).toBe(2);
    expect(cache.decode(a)).not.toBe(first);
  });
});
