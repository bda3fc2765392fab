import { unstorableTextReason } from '@app/governance';
import { aStructuredModelConfigRecord } from '../testing/model-config-event.builder';
import { aStructuredRecord } from '../testing/raw-record.builder';
import { rejectionOf } from '../testing/rejection-of';
import {
  aBinaryUsageRecord,
  aStructuredUsageRecord,
  aUsageData,
} from '../testing/usage-event.builder';
import { anEnvelope } from '../testing/raw-record.builder';
import { USAGE_RECORDED_V1 } from '../events/event-types';

// Records that used to pass the decoder and then fail in PostgreSQL on every retry, stopping
// the partition: each must be a dead letter with a code instead.
describe('decodeRecord: values the ledger cannot store or compute with', () => {
  it.each([
    ['Go zero time', '0001-01-01T00:00:00Z'],
    ['Unix zero time', '1970-01-01T00:00:00Z'],
    ['a time just before 2000', '1999-12-31T23:59:59Z'],
  ])('refuses %s as invalid_field', (_case, time) => {
    expect(rejectionOf(aStructuredUsageRecord({}, { time }))).toMatchObject({
      code: 'invalid_field',
      message: `time ${time} is outside the supported range 2000-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z`,
    });
  });

  it('refuses a config created in year 1', () => {
    expect(
      rejectionOf(aStructuredModelConfigRecord({ created_at: '0001-01-01T00:00:00Z' })).code,
    ).toBe('invalid_field');
  });

  it.each([['100000000000000000000'], ['1000000.000000001'], [1e21]])(
    'refuses a cost above a million dollars (%j) as invalid_cost',
    (cost) => {
      expect(rejectionOf(aStructuredUsageRecord({ cost }))).toMatchObject({
        code: 'invalid_cost',
        message: expect.stringContaining('data.cost must be at most 1000000 USD per event'),
      });
    },
  );

  it('refuses a UTF-16LE value with a BOM, with a message PostgreSQL can store', () => {
    const json = JSON.stringify(anEnvelope(USAGE_RECORDED_V1, aUsageData()));
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]);
    const error = rejectionOf({ ...aStructuredUsageRecord(), value: utf16 });
    expect(error.code).toBe('invalid_json');
    expect(error.message).toContain('UTF-16LE byte order mark');
    expect(unstorableTextReason(error.message)).toBeNull();
  });

  it('refuses invalid UTF-8 instead of storing U+FFFD in its place', () => {
    const value = Buffer.concat([
      Buffer.from('{"specversion":"1.0","id":"'),
      Buffer.from([0xc3, 0x28]),
    ]);
    expect(rejectionOf({ ...aStructuredUsageRecord(), value }).code).toBe('invalid_json');
  });

  it('keeps parser messages storable when they quote NUL bytes', () => {
    const value = Buffer.from('{"a":\u0000}', 'utf8');
    const error = rejectionOf({ ...aStructuredUsageRecord(), value });
    expect(error.code).toBe('invalid_json');
    expect(unstorableTextReason(error.message)).toBeNull();
  });

  it.each([
    ['data.model', { model: 'gpt\u0000' }, 'must not contain NUL (U+0000) characters'],
    [
      'data.provider',
      { provider: 'fz-\ud83d' },
      'must be valid Unicode (it contains a lone surrogate)',
    ],
    ['data.user_id', { user_id: '\udc00' }, 'must be valid Unicode (it contains a lone surrogate)'],
  ])('refuses unstorable text in %s as invalid_field', (label, data, reason) => {
    expect(rejectionOf(aStructuredUsageRecord(data))).toMatchObject({
      code: 'invalid_field',
      message: `${label} ${reason}`,
    });
  });

  it('refuses a lone surrogate in a config model_name', () => {
    expect(rejectionOf(aStructuredModelConfigRecord({ model_name: 'fz-\ud83d' }))).toMatchObject({
      code: 'invalid_field',
      message: 'data.model_name must be valid Unicode (it contains a lone surrogate)',
    });
  });

  it('refuses a reset_duration that would parse to Infinity as invalid_config', () => {
    const budgets = [{ id: 'b-1', max_limit: '1', reset_duration: `${'9'.repeat(400)}h` }];
    expect(rejectionOf(aStructuredModelConfigRecord({ budgets }))).toMatchObject({
      code: 'invalid_config',
      message: 'reset_duration must be at most 64 characters',
    });
  });
});

describe('decodeRecord: rejections name the event once its identity is read', () => {
  it('carries source and id when the data is bad', () => {
    const error = rejectionOf(aStructuredModelConfigRecord({ scope_name: 'x\u0000' }));
    expect(error.identity).toEqual({ source: 'gateway/eu-1', id: 'evt-1' });
  });

  it('carries source and id when a later attribute is bad', () => {
    const error = rejectionOf(aStructuredUsageRecord({}, { type: 'nope.v1' }));
    expect(error).toMatchObject({
      code: 'unknown_type',
      identity: { source: 'gateway/eu-1', id: 'evt-1' },
    });
  });

  it('has no identity when the id itself is unusable', () => {
    expect(rejectionOf(aStructuredUsageRecord({}, { id: 'a\u0000' })).identity).toBeNull();
    expect(rejectionOf(aStructuredRecord('not an object')).identity).toBeNull();
  });

  it('carries source and id of a value too large to decode, from one parse', () => {
    const error = rejectionOf(aStructuredModelConfigRecord({ scope_name: 'x'.repeat(70_000) }));
    expect(error).toMatchObject({
      code: 'oversized',
      identity: { source: 'gateway/eu-1', id: 'evt-1' },
    });
  });

  it('carries source and id of a binary-mode value too large to decode, from its headers', () => {
    const error = rejectionOf(aBinaryUsageRecord({ model: 'x'.repeat(70_000) }));
    expect(error).toMatchObject({
      code: 'oversized',
      identity: { source: 'gateway/eu-1', id: 'evt-1' },
    });
  });
});
