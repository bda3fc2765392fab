import {
  LedgerEvent,
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  USAGE_RECORDED_V1,
} from '@app/contracts';
import { ModelConfigDefinition, RouteCache, UsageRecord } from '@app/governance';
import {
  ConfigIndex,
  ConfigWriteBatch,
  createVersionSchema,
  EventProjection,
  ReadModelVersion,
  SequencedEvent,
  VersionRegistry,
} from '@app/ledger';
import { DataSource } from 'typeorm';
import { openTestDatabase } from '../support/database-test-client';
import { aConfig, aUsage, usd } from '../support/event-builders';

const LIVE = 21;
const REBUILT = 22;
const T0 = Date.parse('2026-03-01T10:00:00Z');

/**
 * A rebuild holds its config writes until the chunk's counters (ConfigWriteBatch): the rows
 * must come out exactly as the live projector's one statement per event writes them, also
 * when one config changes several times in a chunk (created, deleted, created again).
 */
describe('Held config writes of a rebuild', () => {
  let ds: DataSource;
  const registry = () => new VersionRegistry(ds, 'ul-test-held-writes:');
  let live: ReadModelVersion;
  let rebuilt: ReadModelVersion;

  beforeAll(async () => {
    ds = await openTestDatabase();
    live = registry().version(LIVE);
    rebuilt = registry().version(REBUILT);
    for (const v of [live, rebuilt]) {
      await ds.query(`DROP SCHEMA IF EXISTS ${v.tables.schema} CASCADE`);
      await createVersionSchema(ds, v);
    }
  });
  afterAll(async () => {
    for (const v of [live, rebuilt]) {
      await ds.query(`DROP SCHEMA IF EXISTS ${v.tables.schema} CASCADE`);
    }
    await ds.destroy();
  });

  it('writes every row, version and live count as one write per event does', async () => {
    const a = aConfig({ id: 'hw-a', modelName: 'hw-model' });
    const b = aConfig({
      id: 'hw-b',
      modelName: 'hw-model',
      scope: 'virtual_key',
      scopeId: 'vk-hw',
    });
    const events = log([
      upserted(a),
      upserted(b),
      usage({ model: 'hw-model', cost: usd('1') }),
      upserted({ ...a, budgets: [{ id: 'b2', maxLimit: usd('5'), resetDuration: '1d' }] }),
      deleted(b.id),
      usage({ model: 'hw-model', virtualKeyId: 'vk-hw', cost: usd('2') }),
      upserted({ ...b, provider: null }), // created again after its delete
      upserted(a, 1), // stale: a is at version 2 by now
      upserted({ ...b, scopeName: 'again' }, 3), // built on the re-created b (version 3)
      deleted(a.id),
      deleted(a.id), // already gone
      usage({ model: 'hw-model', virtualKeyId: 'vk-hw', cost: usd('4') }),
    ]);
    const liveRun = await project(live, events, false);
    const rebuiltRun = await project(rebuilt, events, true);
    expect(rebuiltRun).toEqual(liveRun);
    expect(liveRun.rejected).toBe(1);
    for (const table of ['configs', 'configCounts', 'counters'] as const) {
      expect(await rows(rebuilt, table)).toEqual(await rows(live, table));
    }
    expect(await rows(rebuilt, 'configs')).toEqual([
      expect.objectContaining({ id: 'hw-a', version: '3', deleted_at: expect.any(Date) }),
      expect.objectContaining({ id: 'hw-b', version: '4', deleted_at: null }),
    ]);
  });

  async function project(v: ReadModelVersion, events: SequencedEvent[], held: boolean) {
    return ds.transaction(async (m) => {
      const projection = new EventProjection(m, v, new ConfigIndex(), {
        rebuild: {
          routes: new RouteCache(),
          configWrites: held ? new ConfigWriteBatch(new Map()) : undefined,
        },
      });
      await projection.add(events);
      const done = await projection.finish();
      return {
        rejected: done.rejections.size,
        configs: done.configs.map((c) => [c.id, c.version, c.snapshot?.definition.provider]),
        lastSeq: done.lastSeq,
      };
    });
  }

  async function rows(v: ReadModelVersion, table: 'configs' | 'configCounts' | 'counters') {
    const order = table === 'configs' ? '1' : '1, 2';
    const all: Record<string, unknown>[] = await ds.query(
      `SELECT * FROM ${v.tables[table]} ORDER BY ${order}`,
    );
    return all;
  }
});

let n = 0;
function meta(): { source: string; id: string; time: Date } {
  n += 1;
  return { source: 'held-writes-test', id: `e-${n}`, time: new Date(T0 + n * 60_000) };
}

function upserted(
  config: ModelConfigDefinition,
  expectedVersion: number | null = null,
): LedgerEvent {
  return { ...meta(), type: MODEL_CONFIG_UPSERTED_V1, config, expectedVersion };
}

function deleted(configId: string): LedgerEvent {
  return { ...meta(), type: MODEL_CONFIG_DELETED_V1, configId };
}

function usage(overrides: Partial<UsageRecord>): LedgerEvent {
  const m = meta();
  return { ...m, type: USAGE_RECORDED_V1, usage: aUsage({ ...overrides, time: m.time }) };
}

function log(events: LedgerEvent[]): SequencedEvent[] {
  return events.map((event, i) => ({ seq: 100 + i, event }));
}
