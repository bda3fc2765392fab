import { decodeRecord } from '../decoding/decode-record';
import { LedgerEvent } from '../events/event-types';
import { aModelConfig } from '../testing/model-config-event.builder';
import { DECODE_OPTIONS, NOW } from '../testing/raw-record.builder';
import { aUsageRecord } from '../testing/usage-event.builder';
import { encodeBinary, encodeStructured } from './encode-record';
import { ledgerEventEnvelope } from './ledger-event.envelope';
import { modelConfigDeletedEnvelope, modelConfigUpsertedEnvelope } from './model-config.envelope';
import { usageRecordedEnvelope } from './usage-recorded.envelope';

const meta = { source: 'api/governance', id: 'evt-42', time: NOW };

const events: [string, LedgerEvent][] = [
  [
    'a usage event',
    { type: 'governance.usage.recorded.v1', ...meta, usage: aUsageRecord({ time: NOW }) },
  ],
  [
    'a failed streaming chunk with a sub-nano-exact cost',
    {
      type: 'governance.usage.recorded.v1',
      ...meta,
      usage: aUsageRecord({
        success: false,
        streaming: true,
        finalChunk: false,
        virtualKeyId: null,
        userId: 'user-7',
        cost: 123_456_789_123_456n,
        time: NOW,
      }),
    },
  ],
  [
    'a scoped config',
    {
      type: 'governance.model_config.upserted.v1',
      ...meta,
      config: aModelConfig(),
      expectedVersion: null,
    },
  ],
  [
    'an update that expects a version',
    {
      type: 'governance.model_config.upserted.v1',
      ...meta,
      config: aModelConfig(),
      expectedVersion: 7,
    },
  ],
  [
    'a global all-provider config without limits',
    {
      type: 'governance.model_config.upserted.v1',
      ...meta,
      expectedVersion: null,
      config: aModelConfig({
        modelName: '*',
        provider: null,
        scope: 'global',
        scopeId: null,
        scopeName: null,
        budgets: [],
        rateLimit: null,
      }),
    },
  ],
  ['a deletion', { type: 'governance.model_config.deleted.v1', ...meta, configId: 'mc-1' }],
];

describe('encode -> decode round trips', () => {
  it.each(events)('gives back %s from structured mode', (_case, event) => {
    const record = encodeStructured(ledgerEventEnvelope(event), 'key-1');

    expect(decodeRecord(record, DECODE_OPTIONS)).toEqual(event);
  });

  it.each(events)('gives back %s from binary mode', (_case, event) => {
    const record = encodeBinary(ledgerEventEnvelope(event), null);

    expect(decodeRecord(record, DECODE_OPTIONS)).toEqual(event);
  });
});

describe('envelope builders', () => {
  it('write dollars as exact decimal strings and time as RFC 3339 UTC', () => {
    const envelope = usageRecordedEnvelope(aUsageRecord({ cost: 1n }), meta);

    expect(envelope).toMatchObject({
      specversion: '1.0',
      type: 'governance.usage.recorded.v1',
      time: '2026-11-27T10:00:00.000Z',
      datacontenttype: 'application/json',
      data: { cost: '0.000000001', total_tokens: 150 },
    });
  });

  it('take the usage event time from the usage record', () => {
    const time = new Date('2026-11-27T09:00:00Z');

    expect(usageRecordedEnvelope(aUsageRecord({ time }), meta).time).toBe(time.toISOString());
  });

  it('write budgets in snake_case with dollar strings', () => {
    expect(modelConfigUpsertedEnvelope(aModelConfig(), meta).data.budgets).toEqual([
      { id: 'b-1', max_limit: '10.5', reset_duration: '1d' },
    ]);
  });

  it('write a deletion with only the config id as data', () => {
    expect(modelConfigDeletedEnvelope('mc-3', meta).data).toEqual({ id: 'mc-3' });
  });
});
