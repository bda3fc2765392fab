import { deadLetterRecord, DeadLetterSource } from './dead-letter-record';

function aConsumedRecord(overrides: Partial<DeadLetterSource> = {}): DeadLetterSource {
  return {
    topic: 'usage-events',
    partition: 3,
    offset: '1234',
    key: Buffer.from('vk-1'),
    value: Buffer.from([0x7b, 0xff, 0x00]),
    headers: { 'content-type': Buffer.from('application/cloudevents+json'), trace: 'abc' },
    ...overrides,
  };
}

const reason = {
  code: 'invalid_cost',
  message: 'data.cost must be a non-negative USD amount',
} as const;
const failedAt = new Date('2026-11-27T10:00:00Z');

describe('deadLetterRecord', () => {
  it('keeps the original value bytes unchanged and the original key in a header', () => {
    const original = aConsumedRecord();
    const record = deadLetterRecord(original, reason, failedAt);

    expect(record.value).toEqual(Buffer.from([0x7b, 0xff, 0x00]));
    expect(record.headers.dlq_original_key).toEqual(original.key);
  });

  it('is keyed by an id that depends only on the source coordinates', () => {
    const first = deadLetterRecord(aConsumedRecord(), reason, failedAt);
    const again = deadLetterRecord(aConsumedRecord(), reason, new Date('2026-11-28T00:00:00Z'));

    expect(first.key?.toString()).toBe('usage-events/3/1234');
    expect(again.key).toEqual(first.key);
    expect(again.headers.dlq_id).toBe(first.headers.dlq_id);
    expect(deadLetterRecord(aConsumedRecord({ offset: '1235' }), reason, failedAt).key).not.toEqual(
      first.key,
    );
  });

  it('keeps a tombstone a tombstone, and a missing key missing', () => {
    const record = deadLetterRecord(aConsumedRecord({ value: null, key: null }), reason, failedAt);
    expect(record.value).toBeNull();
    expect(record.headers).not.toHaveProperty('dlq_original_key');
  });

  it('preserves the original headers and adds the reason and source coordinates', () => {
    const record = deadLetterRecord(aConsumedRecord(), reason, failedAt);

    expect(record.headers).toEqual({
      'content-type': Buffer.from('application/cloudevents+json'),
      trace: 'abc',
      dlq_id: 'usage-events/3/1234',
      dlq_original_key: Buffer.from('vk-1'),
      dlq_reason_code: 'invalid_cost',
      dlq_reason: 'data.cost must be a non-negative USD amount',
      dlq_source_topic: 'usage-events',
      dlq_source_partition: '3',
      dlq_source_offset: '1234',
      dlq_failed_at: '2026-11-27T10:00:00.000Z',
    });
  });

  it('replaces the dlq_* headers of a record that was dead-lettered before', () => {
    const original = aConsumedRecord({
      headers: { dlq_reason_code: 'future_time', dlq_source_offset: '1' },
    });
    const record = deadLetterRecord(original, reason, failedAt);

    expect(record.headers).toMatchObject({
      dlq_reason_code: 'invalid_cost',
      dlq_source_offset: '1234',
    });
  });

  it('drops undefined header values, which kafkajs cannot send', () => {
    const record = deadLetterRecord(
      aConsumedRecord({ headers: { gone: undefined } }),
      reason,
      failedAt,
    );

    expect(record.headers).not.toHaveProperty('gone');
  });

  it('writes a reason that quotes NUL or a lone surrogate in a storable form', () => {
    const record = deadLetterRecord(
      aConsumedRecord(),
      { code: 'invalid_json', message: 'bad \u0000 and \ud83d' },
      failedAt,
    );
    expect(record.headers.dlq_reason).toBe('bad \\u0000 and \ufffd');
  });
});
