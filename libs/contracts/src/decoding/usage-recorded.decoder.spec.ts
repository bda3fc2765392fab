import { UsageRecord } from '@app/governance';
import { decodeRecord } from './decode-record';
import { DECODE_OPTIONS } from '../testing/raw-record.builder';
import { rejectionOf } from '../testing/rejection-of';
import { aStructuredUsageRecord, aUsageRecord } from '../testing/usage-event.builder';
import { RawRecord } from '../events/kafka-record';

function usageOf(record: RawRecord): UsageRecord {
  const event = decodeRecord(record, DECODE_OPTIONS);
  if (event.type !== 'governance.usage.recorded.v1') throw new Error(`decoded a ${event.type}`);
  return event.usage;
}

describe('decodeRecord: governance.usage.recorded.v1 data', () => {
  it('builds the UsageRecord with the envelope time as its time', () => {
    expect(usageOf(aStructuredUsageRecord({}, { time: '2026-11-27T09:59:00Z' }))).toEqual(
      aUsageRecord({ time: new Date('2026-11-27T09:59:00Z') }),
    );
  });

  it('applies the defaults when only the required fields are sent', () => {
    const record = aStructuredUsageRecord({
      virtual_key_id: undefined,
      user_id: undefined,
      success: undefined,
      input_tokens: undefined,
      output_tokens: undefined,
      cost: undefined,
    });

    expect(usageOf(record)).toEqual(
      aUsageRecord({
        virtualKeyId: null,
        userId: null,
        success: true,
        inputTokens: 0,
        outputTokens: 0,
        totalTokens: 0,
        cost: 0n,
        streaming: false,
        finalChunk: true,
      }),
    );
  });

  it('treats null optional fields like absent ones', () => {
    const usage = usageOf(
      aStructuredUsageRecord({ success: null, input_tokens: null, cost: null, streaming: null }),
    );

    expect(usage).toMatchObject({ success: true, inputTokens: 0, cost: 0n, streaming: false });
  });

  it('defaults total_tokens to input_tokens + output_tokens', () => {
    expect(usageOf(aStructuredUsageRecord({ input_tokens: 7, output_tokens: 5 })).totalTokens).toBe(
      12,
    );
  });

  it('keeps an explicit total_tokens even when it differs from the sum', () => {
    const usage = usageOf(
      aStructuredUsageRecord({ input_tokens: 7, output_tokens: 5, total_tokens: 20 }),
    );

    expect(usage.totalTokens).toBe(20);
  });

  it('reads a failed, streaming, non-final chunk as such', () => {
    const usage = usageOf(
      aStructuredUsageRecord({ success: false, streaming: true, final_chunk: false }),
    );

    expect(usage).toMatchObject({ success: false, streaming: true, finalChunk: false });
  });

  it('reads an empty request_id, and empty key and user ids as not set', () => {
    const usage = usageOf(
      aStructuredUsageRecord({ request_id: '', virtual_key_id: '', user_id: '' }),
    );

    expect(usage).toMatchObject({ requestId: '', virtualKeyId: null, userId: null });
  });

  describe('cost', () => {
    it.each([
      ['a decimal string', '0.25', 250_000_000n],
      ['a string with nine decimals', '0.000000001', 1n],
      ['a string with more than nine decimals, rounded half-up', '0.0000000015', 2n],
      ['a string in exponent notation', '1.5e-6', 1_500n],
      ['a JSON number', 0.25, 250_000_000n],
      ['a JSON number that binary floats cannot hold, via its shortest form', 0.1, 100_000_000n],
      ['a JSON number in exponent notation', 1e-7, 100n],
      ['an integer JSON number', 12, 12_000_000_000n],
      ['zero', 0, 0n],
    ])('reads %s exactly', (_case, cost, nanos) => {
      expect(usageOf(aStructuredUsageRecord({ cost })).cost).toBe(nanos);
    });

    it('reads a JSON number written in exponent notation in the raw JSON', () => {
      const record = aStructuredUsageRecord({ cost: 'PLACEHOLDER' });
      const value = record.value?.toString().replace('"PLACEHOLDER"', '2.5E-3');

      expect(usageOf({ ...record, value: Buffer.from(value ?? '') }).cost).toBe(2_500_000n);
    });

    it.each([
      ['a negative number', -0.5],
      ['a negative string', '-0.5'],
      ['a non-numeric string', 'abc'],
      ['an empty string', ''],
      ['a string with a currency sign', '$1'],
      ['a boolean', true],
      ['an object', { usd: 1 }],
    ])('rejects %s as invalid_cost', (_case, cost) => {
      expect(rejectionOf(aStructuredUsageRecord({ cost }))).toMatchObject({
        code: 'invalid_cost',
        message: expect.stringContaining('data.cost must be a non-negative USD amount'),
      });
    });
  });

  describe('tokens', () => {
    it.each([['input_tokens'], ['output_tokens'], ['total_tokens']])(
      'rejects a negative %s as negative_tokens naming the field',
      (field) => {
        expect(rejectionOf(aStructuredUsageRecord({ [field]: -1 }))).toMatchObject({
          code: 'negative_tokens',
          message: `data.${field} must not be negative, got -1`,
        });
      },
    );

    it.each([
      ['a fraction', 1.5],
      ['a numeric string', '10'],
      ['a number beyond the safe integer range', 2 ** 53],
    ])('rejects %s as invalid_field', (_case, tokens) => {
      expect(rejectionOf(aStructuredUsageRecord({ input_tokens: tokens }))).toMatchObject({
        code: 'invalid_field',
        message: expect.stringContaining('data.input_tokens must be a non-negative integer'),
      });
    });

    it('rejects a default total that would overflow the safe integer range', () => {
      const max = Number.MAX_SAFE_INTEGER;

      expect(
        rejectionOf(aStructuredUsageRecord({ input_tokens: max, output_tokens: 1 })).code,
      ).toBe('invalid_field');
    });
  });

  describe('required and typed fields', () => {
    it.each([['request_id'], ['provider'], ['model']])(
      'rejects a missing %s as missing_field',
      (field) => {
        expect(rejectionOf(aStructuredUsageRecord({ [field]: undefined }))).toMatchObject({
          code: 'missing_field',
          message: `data.${field} is required`,
        });
      },
    );

    it.each([['provider'], ['model']])('rejects an empty %s as invalid_field', (field) => {
      expect(rejectionOf(aStructuredUsageRecord({ [field]: '' }))).toMatchObject({
        code: 'invalid_field',
        message: `data.${field} must be a non-empty string, got ""`,
      });
    });

    it.each([
      ['request_id', 42],
      ['virtual_key_id', 7],
      ['user_id', false],
      ['success', 'yes'],
      ['streaming', 1],
      ['final_chunk', 'true'],
    ])('rejects a wrongly typed %s as invalid_field', (field, value) => {
      expect(rejectionOf(aStructuredUsageRecord({ [field]: value }))).toMatchObject({
        code: 'invalid_field',
        message: expect.stringContaining(`data.${field} must be`),
      });
    });

    it.each([['request_id'], ['provider'], ['model'], ['virtual_key_id'], ['user_id']])(
      'rejects a %s longer than 1024 characters as oversized',
      (field) => {
        expect(rejectionOf(aStructuredUsageRecord({ [field]: 'x'.repeat(1025) }))).toMatchObject({
          code: 'oversized',
          message: `data.${field} is 1025 characters long; the limit is 1024`,
        });
      },
    );

    it('accepts a model name of exactly 1024 characters', () => {
      expect(usageOf(aStructuredUsageRecord({ model: 'm'.repeat(1024) })).model).toHaveLength(1024);
    });
  });
});
