import { DecodeOptions } from '../decoding/decode-options';
import { RawRecord } from '../events/kafka-record';

/** The consumer clock in every spec; builders' events happen exactly then. */
export const NOW = new Date('2026-11-27T10:00:00Z');

export const DECODE_OPTIONS: DecodeOptions = {
  now: NOW,
  maxClockSkewMs: 60_000,
  maxValueBytes: 64 * 1024,
};

/** Fields set to `undefined` are left out of the JSON, which is how specs say "absent". */
export type Overrides = Record<string, unknown>;

export function anEnvelope(type: string, data: unknown, overrides: Overrides = {}): Overrides {
  return {
    specversion: '1.0',
    id: 'evt-1',
    source: 'gateway/eu-1',
    type,
    time: NOW.toISOString(),
    datacontenttype: 'application/json',
    data,
    ...overrides,
  };
}

export function aStructuredRecord(
  envelope: unknown,
  headers: RawRecord['headers'] = {},
): RawRecord {
  return {
    key: Buffer.from('key-1'),
    value: Buffer.from(JSON.stringify(envelope)),
    headers: { 'content-type': 'application/cloudevents+json; charset=utf-8', ...headers },
  };
}

function headerFor(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Binary mode of the same envelope: attributes in ce_* headers (as Buffers, like kafkajs). */
export function aBinaryRecord(envelope: Overrides, headers: RawRecord['headers'] = {}): RawRecord {
  const attribute = (name: string): Buffer | undefined => {
    const text = headerFor(envelope[name]);
    return text === undefined ? undefined : Buffer.from(text);
  };
  return {
    key: null,
    value: Buffer.from(JSON.stringify(envelope.data)),
    headers: {
      ce_specversion: attribute('specversion'),
      ce_id: attribute('id'),
      ce_source: attribute('source'),
      ce_type: attribute('type'),
      ce_time: attribute('time'),
      'content-type': Buffer.from('application/json'),
      ...headers,
    },
  };
}
