import { USAGE_RECORDED_V1 } from '../events/event-types';
import { aModelConfigData } from '../testing/model-config-event.builder';
import { anEnvelope, Overrides } from '../testing/raw-record.builder';
import { aUsageData } from '../testing/usage-event.builder';
import { decodeStoredEnvelope, decodeTrustedStoredEnvelope } from './decode-stored-envelope';

const stored = (data: Overrides, envelope: Overrides = {}) =>
  JSON.stringify(anEnvelope(USAGE_RECORDED_V1, aUsageData(data), envelope));

describe('decodeTrustedStoredEnvelope', () => {
  // Every variant the full decoder accepts and normalises: defaults, nulls, -0, "" ids,
  // costs as strings and as JSON numbers, explicit totals, streams, offsets in the time.
  const variants: [string, string][] = [
    ['the builder usage', stored({})],
    [
      'only the required fields',
      stored({
        virtual_key_id: undefined,
        user_id: undefined,
        success: undefined,
        input_tokens: undefined,
        output_tokens: undefined,
        cost: undefined,
      }),
    ],
    [
      'nulls for every optional field',
      stored({
        virtual_key_id: null,
        user_id: null,
        success: null,
        input_tokens: null,
        output_tokens: null,
        total_tokens: null,
        cost: null,
        streaming: null,
        final_chunk: null,
      }),
    ],
    ['empty ids and a user', stored({ virtual_key_id: '', user_id: 'u-1' })],
    ['an empty user beside a key', stored({ user_id: '' })],
    [
      '-0 tokens',
      '{"specversion":"1.0","id":"e","source":"s","type":"governance.usage.recorded.v1","time":"2026-11-27T10:00:00Z","data":{"request_id":"r","provider":"p","model":"m","input_tokens":-0,"output_tokens":-0,"total_tokens":-0}}',
    ],
    ['a cost as a JSON number', stored({ cost: 0.1 })],
    ['a cost with an exponent', stored({ cost: 1.5e-7 })],
    ['a cost as a decimal string', stored({ cost: '12.000000001' })],
    ['an explicit total', stored({ total_tokens: 7 })],
    ['a failed call', stored({ success: false, cost: '0' })],
    ['a stream chunk', stored({ streaming: true, final_chunk: false })],
    ['the last stream chunk', stored({ streaming: true, final_chunk: true })],
    [
      'a time with an offset and microseconds',
      stored({}, { time: '2026-11-27T11:00:00.123456+01:00' }),
    ],
    ['an unknown extra field', stored({ region: 'eu' }, { traceparent: '00-x' })],
  ];

  it.each(variants)('decodes %s exactly as the full decoder', (_, json) => {
    expect(decodeTrustedStoredEnvelope(json)).toEqual(decodeStoredEnvelope(json));
  });

  it('decodes config events through the full decoder', () => {
    const json = JSON.stringify(
      anEnvelope('governance.model_config.upserted.v1', aModelConfigData()),
    );

    expect(decodeTrustedStoredEnvelope(json)).toEqual(decodeStoredEnvelope(json));
  });
});
