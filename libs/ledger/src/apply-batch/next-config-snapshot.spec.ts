import { ModelConfigDefinition } from '@app/governance';
import { ConfigIndex } from '../config-index/config-index';
import { nextConfigSnapshot } from './next-config-snapshot';

const created = new Date('2026-01-01T00:00:00Z');
const aDefinition = (overrides: Partial<ModelConfigDefinition> = {}): ModelConfigDefinition => ({
  id: 'mc-1',
  modelName: 'gpt-4o',
  provider: 'openai',
  scope: 'global',
  scopeId: null,
  scopeName: null,
  calendarAligned: false,
  budgets: [{ id: 'b-1', maxLimit: 1_000_000_000n, resetDuration: '1d' }],
  rateLimit: null,
  createdAt: created,
  updatedAt: created,
  ...overrides,
});

function indexWith(definition: ModelConfigDefinition, version: number): ConfigIndex {
  const first = nextConfigSnapshot(new ConfigIndex(), definition, 1);
  if (!first.ok) throw new Error('setup');
  return new ConfigIndex([{ ...first.snapshot, version }]);
}

describe('nextConfigSnapshot', () => {
  it('applies an update over the version it expects and keeps the unchanged series', () => {
    const index = indexWith(aDefinition(), 4);
    const next = nextConfigSnapshot(index, aDefinition({ modelName: 'gpt-4o' }), 9, 4);
    expect(next.ok).toBe(true);
    if (next.ok)
      expect(next.snapshot.limits[0].counterKey).toBe(index.get('mc-1')!.limits[0].counterKey);
  });

  it('refuses an update of an older version as version_conflict', () => {
    const next = nextConfigSnapshot(indexWith(aDefinition(), 5), aDefinition(), 9, 4);
    expect(next).toMatchObject({ ok: false, reason: { code: 'version_conflict' } });
  });

  it('refuses an update of a config that is gone as config_not_found: it never revives it', () => {
    const next = nextConfigSnapshot(new ConfigIndex(), aDefinition(), 9, 4);
    expect(next).toEqual({
      ok: false,
      reason: { code: 'config_not_found', message: 'Model config not found' },
    });
  });

  it('lets a plain upsert (no expected version) create or replace', () => {
    expect(nextConfigSnapshot(new ConfigIndex(), aDefinition(), 9).ok).toBe(true);
    expect(nextConfigSnapshot(indexWith(aDefinition(), 5), aDefinition(), 9).ok).toBe(true);
  });

  it('refuses a second config with the same identity as identity_conflict', () => {
    const next = nextConfigSnapshot(indexWith(aDefinition(), 1), aDefinition({ id: 'mc-2' }), 9);
    expect(next).toMatchObject({ ok: false, reason: { code: 'identity_conflict' } });
  });
});
