import {
  EventType,
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  USAGE_RECORDED_V1,
} from '../events/event-types';
import { RawRecord } from '../events/kafka-record';
import {
  aBinaryRecord,
  anEnvelope,
  aStructuredRecord,
  DECODE_OPTIONS,
  NOW,
} from '../testing/raw-record.builder';
import {
  aBinaryUsageRecord,
  aStructuredUsageRecord,
  aUsageData,
} from '../testing/usage-event.builder';
import { rejectionOf } from '../testing/rejection-of';
import { decodeRecord } from './decode-record';

describe('decodeRecord: CloudEvents envelope and binding modes', () => {
  it('decodes a structured-mode record into its envelope meta and usage', () => {
    const event = decodeRecord(aStructuredUsageRecord(), DECODE_OPTIONS);

    expect(event).toMatchObject({
      type: USAGE_RECORDED_V1,
      source: 'gateway/eu-1',
      id: 'evt-1',
      time: NOW,
      usage: { requestId: 'req-1', cost: 250_000_000n },
    });
  });

  it('decodes a binary-mode record with ce_* headers given as Buffers', () => {
    const event = decodeRecord(aBinaryUsageRecord(), DECODE_OPTIONS);

    expect(event).toEqual(decodeRecord(aStructuredUsageRecord(), DECODE_OPTIONS));
  });

  it('decodes a binary-mode record with string headers and no content-type', () => {
    const record = aBinaryUsageRecord();
    const headers = Object.fromEntries(
      Object.entries(record.headers).map(([name, value]) => [name, value?.toString()]),
    );
    delete headers['content-type'];

    expect(decodeRecord({ ...record, headers }, DECODE_OPTIONS).type).toBe(USAGE_RECORDED_V1);
  });

  it('treats a JSON object with specversion but no CloudEvents headers as structured (lenient)', () => {
    const record = { ...aStructuredUsageRecord(), headers: {} };

    expect(decodeRecord(record, DECODE_OPTIONS).type).toBe(USAGE_RECORDED_V1);
  });

  it('accepts a structured content-type with parameters and odd casing', () => {
    const record = aStructuredRecord(anEnvelope(USAGE_RECORDED_V1, aUsageData()), {
      'content-type': 'Application/CloudEvents+JSON ; charset=UTF-8',
    });

    expect(decodeRecord(record, DECODE_OPTIONS).type).toBe(USAGE_RECORDED_V1);
  });

  it('ignores unknown envelope extensions and unknown data fields', () => {
    const envelope = anEnvelope(USAGE_RECORDED_V1, aUsageData({ attempt: 2 }), {
      traceparent: 'x',
    });

    expect(decodeRecord(aStructuredRecord(envelope), DECODE_OPTIONS).type).toBe(USAGE_RECORDED_V1);
  });

  describe('rejects', () => {
    it('a tombstone (null value) as invalid_json saying the value is empty', () => {
      const record: RawRecord = { key: Buffer.from('k'), value: null, headers: {} };

      expect(rejectionOf(record)).toMatchObject({
        code: 'invalid_json',
        message: expect.stringContaining('record value is empty'),
      });
    });

    it('a structured value that is not JSON as invalid_json', () => {
      const record = { ...aStructuredUsageRecord(), value: Buffer.from('{"specversion":') };

      expect(rejectionOf(record)).toMatchObject({
        code: 'invalid_json',
        message: expect.stringContaining('record value is not valid JSON'),
      });
    });

    it('a binary-mode value that is not JSON as invalid_json', () => {
      const record = { ...aBinaryUsageRecord(), value: Buffer.from('not json') };

      expect(rejectionOf(record).code).toBe('invalid_json');
    });

    it('a value over maxValueBytes as oversized, before trying to parse it', () => {
      const record = { ...aStructuredUsageRecord(), value: Buffer.from('x'.repeat(101)) };

      expect(rejectionOf(record, { ...DECODE_OPTIONS, maxValueBytes: 100 })).toMatchObject({
        code: 'oversized',
        message: 'record value is 101 bytes; the limit is 100',
      });
    });

    it('a value of exactly maxValueBytes is accepted', () => {
      const record = aStructuredUsageRecord();
      const opts = { ...DECODE_OPTIONS, maxValueBytes: record.value?.length ?? 0 };

      expect(decodeRecord(record, opts).type).toBe(USAGE_RECORDED_V1);
    });

    it('a record without CloudEvents headers whose value lacks specversion as not_cloudevent', () => {
      const record: RawRecord = { key: null, value: Buffer.from('{"hello":1}'), headers: {} };

      expect(rejectionOf(record).code).toBe('not_cloudevent');
    });

    it('a headerless record whose value is not JSON as not_cloudevent', () => {
      const record: RawRecord = { key: null, value: Buffer.from('plain text'), headers: {} };

      expect(rejectionOf(record).code).toBe('not_cloudevent');
    });

    it('a structured record whose value is a JSON array as not_cloudevent', () => {
      expect(rejectionOf(aStructuredRecord([1, 2])).code).toBe('not_cloudevent');
    });

    it('a binary record with a non-JSON content-type as unsupported_content_type', () => {
      const record = aBinaryRecord(anEnvelope(USAGE_RECORDED_V1, aUsageData()), {
        'content-type': 'application/avro',
      });

      expect(rejectionOf(record)).toMatchObject({
        code: 'unsupported_content_type',
        message: expect.stringContaining('"application/avro"'),
      });
    });

    it('a batched CloudEvents record as unsupported_content_type', () => {
      const record = aStructuredRecord([anEnvelope(USAGE_RECORDED_V1, aUsageData())], {
        'content-type': 'application/cloudevents-batch+json',
      });

      expect(rejectionOf(record).code).toBe('unsupported_content_type');
    });

    it('a structured datacontenttype other than JSON as unsupported_content_type', () => {
      const record = aStructuredRecord(
        anEnvelope(USAGE_RECORDED_V1, aUsageData(), { datacontenttype: 'text/plain' }),
      );

      expect(rejectionOf(record).code).toBe('unsupported_content_type');
    });

    it('structured data_base64 instead of data as unsupported_content_type', () => {
      const record = aStructuredRecord(
        anEnvelope(USAGE_RECORDED_V1, undefined, { data_base64: 'e30=' }),
      );

      expect(rejectionOf(record).code).toBe('unsupported_content_type');
    });

    it.each([['specversion'], ['id'], ['source'], ['type'], ['time']])(
      'a structured envelope without %s as missing_field naming the attribute',
      (attribute) => {
        const record = aStructuredUsageRecord({}, { [attribute]: undefined });

        expect(rejectionOf(record)).toMatchObject({
          code: 'missing_field',
          message: `${attribute} is required`,
        });
      },
    );

    it('a binary record without ce_id as missing_field naming the header', () => {
      const record = aBinaryUsageRecord({}, { id: undefined });

      expect(rejectionOf(record)).toMatchObject({
        code: 'missing_field',
        message: 'header ce_id is required',
      });
    });

    it('a specversion other than 1.0 as invalid_field', () => {
      expect(rejectionOf(aStructuredUsageRecord({}, { specversion: '0.3' }))).toMatchObject({
        code: 'invalid_field',
        message: 'specversion must be "1.0", got "0.3"',
      });
    });

    it.each([
      ['an empty id', { id: '' }],
      ['a numeric id', { id: 42 }],
      ['an empty source', { source: '' }],
    ])('%s as invalid_field', (_case, envelope) => {
      expect(rejectionOf(aStructuredUsageRecord({}, envelope)).code).toBe('invalid_field');
    });

    it.each([
      ['no timezone', '2026-11-27T10:00:00'],
      ['a date only', '2026-11-27'],
      ['an impossible date', '2026-02-30T10:00:00Z'],
      ['a space separator', '2026-11-27 10:00:00Z'],
      ['epoch millis', 1795773600000],
    ])('a time with %s as invalid_field', (_case, time) => {
      expect(rejectionOf(aStructuredUsageRecord({}, { time }))).toMatchObject({
        code: 'invalid_field',
        message: expect.stringMatching(/^time must be (an RFC 3339 timestamp|a non-empty string)/),
      });
    });

    it('an id longer than 1024 characters as oversized', () => {
      expect(rejectionOf(aStructuredUsageRecord({}, { id: 'x'.repeat(1025) }))).toMatchObject({
        code: 'oversized',
        message: 'id is 1025 characters long; the limit is 1024',
      });
    });

    it('a source longer than 1024 characters as oversized', () => {
      expect(rejectionOf(aStructuredUsageRecord({}, { source: 's'.repeat(1025) })).code).toBe(
        'oversized',
      );
    });

    it('an unknown type as unknown_type naming it', () => {
      const record = aStructuredUsageRecord({}, { type: 'governance.usage.recorded.v2' });

      expect(rejectionOf(record)).toMatchObject({
        code: 'unknown_type',
        message: expect.stringContaining(
          '"governance.usage.recorded.v2" is not a known event type',
        ),
      });
    });

    it('a known type not in expectedTypes as unknown_type', () => {
      const expectedTypes: EventType[] = [MODEL_CONFIG_UPSERTED_V1, MODEL_CONFIG_DELETED_V1];
      const opts = { ...DECODE_OPTIONS, expectedTypes };

      expect(rejectionOf(aStructuredUsageRecord(), opts)).toMatchObject({
        code: 'unknown_type',
        message: expect.stringContaining('is not accepted on this topic'),
      });
    });

    it('missing data as missing_field', () => {
      expect(rejectionOf(aStructuredUsageRecord({}, { data: undefined }))).toMatchObject({
        code: 'missing_field',
        message: 'data is required',
      });
    });

    it('data that is not an object as invalid_field', () => {
      expect(rejectionOf(aStructuredUsageRecord({}, { data: 'usage' })).code).toBe('invalid_field');
    });
  });

  describe('future events', () => {
    const skewMs = DECODE_OPTIONS.maxClockSkewMs;
    const at = (offsetMs: number): string => new Date(NOW.getTime() + offsetMs).toISOString();

    it('accepts an event exactly maxClockSkewMs ahead of now', () => {
      const event = decodeRecord(aStructuredUsageRecord({}, { time: at(skewMs) }), DECODE_OPTIONS);

      expect(event.time.getTime()).toBe(NOW.getTime() + skewMs);
    });

    it('rejects an event one millisecond beyond the skew as future_time', () => {
      expect(rejectionOf(aStructuredUsageRecord({}, { time: at(skewMs + 1) }))).toMatchObject({
        code: 'future_time',
        message: `time ${at(skewMs + 1)} is ${skewMs + 1} ms ahead of the consumer clock; at most ${skewMs} ms is allowed`,
      });
    });

    it('accepts events from the distant past (late events are the projector’s call)', () => {
      const event = decodeRecord(
        aStructuredUsageRecord({}, { time: '2020-01-01T00:00:00Z' }),
        DECODE_OPTIONS,
      );

      expect(event.time.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    });

    it('applies the offset of a non-UTC time before comparing', () => {
      // 11:00:30+01:00 is 10:00:30Z: within one minute of NOW.
      const event = decodeRecord(
        aStructuredUsageRecord({}, { time: '2026-11-27T11:00:30+01:00' }),
        DECODE_OPTIONS,
      );

      expect(event.time.toISOString()).toBe('2026-11-27T10:00:30.000Z');
    });
  });
});
