import { encodeBinary, EncodedRecord, MODEL_CONFIG_UPSERTED_V1 } from '@app/contracts';
import { ModelConfigDefinition } from '@app/governance';
import { randomUUID } from 'crypto';
import { aConfig, aUsage, configUpserted, usageRecorded, usd } from './event-builders';

/** One kind of bad record, the dead-letter code it must get, and the record itself. */
export interface BadRecord {
  kind: string;
  code: string;
  record: EncodedRecord;
  /** the dead letter must name the event (source, id): its envelope was readable */
  identified?: boolean;
}

type Json = Record<string, unknown>;
const STRUCTURED = { 'content-type': 'application/cloudevents+json' };

const raw = (value: Buffer | null, headers: Record<string, string> = STRUCTURED): EncodedRecord =>
  ({ key: Buffer.from('corpus'), value, headers }) as EncodedRecord;
const text = (value: string, headers?: Record<string, string>) =>
  raw(Buffer.from(value, 'utf8'), headers);
const json = (value: unknown) => text(JSON.stringify(value));

export const CORPUS_MODEL = 'corpus-model';

/** A valid usage envelope for the corpus config, with overrides on data and attributes. */
export function usageEnvelope(data: Json = {}, attributes: Json = {}): Json {
  const good = usageRecorded(aUsage({ model: CORPUS_MODEL, cost: usd('1') })) as unknown as Json;
  return { ...good, data: { ...(good.data as Json), ...data }, ...attributes };
}

const withoutAttribute = (name: string): Json => {
  const envelope = usageEnvelope();
  delete envelope[name];
  return envelope;
};

const binary = (headers: Record<string, string | undefined>): EncodedRecord => {
  const record = encodeBinary(usageRecorded(aUsage({ model: CORPUS_MODEL })), null);
  const merged: Record<string, string> = {};
  for (const [name, value] of Object.entries({ ...record.headers, ...headers })) {
    if (value !== undefined) merged[name] = value;
  }
  return { ...record, headers: merged };
};

/** Bad records for the usage topic: every way a producer has been seen to get it wrong. */
export function badUsageRecords(): BadRecord[] {
  const envelopeText = JSON.stringify(usageEnvelope());
  const id = (kind: string, code: string, record: EncodedRecord): BadRecord => ({
    kind,
    code,
    record,
    identified: true,
  });
  // Refused while reading the binding, before the identity is read.
  const anonymous = (kind: string, code: string, record: EncodedRecord): BadRecord => ({
    kind,
    code,
    record,
  });
  return [
    { kind: 'invalid JSON', code: 'invalid_json', record: text('{"specversion": "1.0",') },
    {
      kind: 'truncated JSON',
      code: 'invalid_json',
      record: text(envelopeText.slice(0, envelopeText.length / 2)),
    },
    { kind: 'empty value', code: 'invalid_json', record: raw(Buffer.alloc(0)) },
    { kind: 'null value (tombstone)', code: 'invalid_json', record: raw(null) },
    {
      kind: 'binary garbage',
      code: 'invalid_json',
      record: raw(Buffer.from([0x8f, 0xff, 0x00, 0x13, 0xfe, 0x7b])),
    },
    {
      kind: 'binary garbage without headers',
      code: 'not_cloudevent',
      record: raw(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00]), {}),
    },
    {
      kind: 'invalid UTF-8 inside JSON',
      code: 'invalid_json',
      record: raw(
        Buffer.concat([Buffer.from(envelopeText.slice(0, -2)), Buffer.from([0xc3, 0x28, 0x7d])]),
      ),
    },
    {
      kind: 'UTF-8 byte order mark',
      code: 'invalid_json',
      record: raw(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(envelopeText)])),
    },
    {
      kind: 'UTF-16LE with BOM (NUL bytes)',
      code: 'invalid_json',
      record: raw(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(envelopeText, 'utf16le')])),
    },
    {
      kind: 'raw NUL byte in the value',
      code: 'invalid_json',
      record: text(`${envelopeText}\u0000`),
    },
    { kind: 'JSON array, not an object', code: 'not_cloudevent', record: json([usageEnvelope()]) },
    { kind: 'JSON string, not an object', code: 'not_cloudevent', record: json('hello') },
    {
      kind: 'JSON without specversion, no headers',
      code: 'not_cloudevent',
      record: text('{"a":1}', {}),
    },
    {
      kind: 'wrong specversion',
      code: 'invalid_field',
      record: json(usageEnvelope({}, { specversion: '0.3' })),
    },
    { kind: 'missing id', code: 'missing_field', record: json(withoutAttribute('id')) },
    { kind: 'numeric id', code: 'invalid_field', record: json(usageEnvelope({}, { id: 42 })) },
    { kind: 'missing source', code: 'missing_field', record: json(withoutAttribute('source')) },
    {
      kind: '10 KB source',
      code: 'oversized',
      record: json(usageEnvelope({}, { source: 's'.repeat(10_240) })),
    },
    {
      kind: 'NUL in source',
      code: 'invalid_field',
      record: json(usageEnvelope({}, { source: 'gw\u0000' })),
    },
    id(
      'unknown type',
      'unknown_type',
      json(usageEnvelope({}, { type: 'governance.usage.exploded.v9' })),
    ),
    id(
      'config type on the usage topic',
      'unknown_type',
      json(usageEnvelope({}, { type: MODEL_CONFIG_UPSERTED_V1 })),
    ),
    id('missing time', 'missing_field', json(withoutAttribute('time'))),
    id(
      'time not RFC 3339',
      'invalid_field',
      json(usageEnvelope({}, { time: '2026-11-27 10:00:00' })),
    ),
    id('far-future time', 'future_time', json(usageEnvelope({}, { time: '9000-01-01T00:00:00Z' }))),
    id('Go zero time', 'invalid_field', json(usageEnvelope({}, { time: '0001-01-01T00:00:00Z' }))),
    id(
      'Unix zero time',
      'invalid_field',
      json(usageEnvelope({}, { time: '1970-01-01T00:00:00Z' })),
    ),
    anonymous(
      'datacontenttype text/xml',
      'unsupported_content_type',
      json(usageEnvelope({}, { datacontenttype: 'text/xml' })),
    ),
    anonymous(
      'data_base64',
      'unsupported_content_type',
      json({ ...withoutAttribute('data'), data_base64: 'e30=' }),
    ),
    id('data is an array', 'invalid_field', json(usageEnvelope({}, { data: [1] }))),
    id('missing request_id', 'missing_field', json(usageEnvelope({ request_id: undefined }))),
    id('missing model', 'missing_field', json(usageEnvelope({ model: undefined }))),
    id('missing provider', 'missing_field', json(usageEnvelope({ provider: undefined }))),
    id('NUL in model', 'invalid_field', json(usageEnvelope({ model: 'gpt\u0000' }))),
    id('lone surrogate in model', 'invalid_field', json(usageEnvelope({ model: 'fz-\ud83d' }))),
    id('NUL in an ignored member', 'invalid_field', json(usageEnvelope({ note: 'x\u0000y' }))),
    id(
      'lone surrogate in an ignored member',
      'invalid_field',
      text(envelopeText.replace('"data":{', '"data":{"note":"\\ud83d",')),
    ),
    id('success as a string', 'invalid_field', json(usageEnvelope({ success: 'yes' }))),
    id('negative tokens', 'negative_tokens', json(usageEnvelope({ input_tokens: -5 }))),
    id('fractional tokens', 'invalid_field', json(usageEnvelope({ output_tokens: 1.5 }))),
    id('tokens as a string', 'invalid_field', json(usageEnvelope({ total_tokens: '15' }))),
    id('huge tokens', 'invalid_field', json(usageEnvelope({ input_tokens: 1e20 }))),
    id('negative cost', 'invalid_cost', json(usageEnvelope({ cost: -1 }))),
    id('NaN cost', 'invalid_cost', json(usageEnvelope({ cost: 'NaN' }))),
    id('cost 1e400', 'invalid_cost', text(envelopeText.replace('"cost":"1"', '"cost":1e400'))),
    id(
      'cost overflowing a counter',
      'invalid_cost',
      json(usageEnvelope({ cost: '100000000000000000000' })),
    ),
    id('cost with a currency sign', 'invalid_cost', json(usageEnvelope({ cost: '$1' }))),
    {
      kind: 'binary mode without ce_id',
      code: 'missing_field',
      record: binary({ ce_id: undefined }),
    },
    id('binary mode without ce_type', 'missing_field', binary({ ce_type: undefined })),
    id('binary mode without ce_time', 'missing_field', binary({ ce_time: undefined })),
    {
      kind: 'binary mode with content-type text/plain',
      code: 'unsupported_content_type',
      record: binary({ 'content-type': 'text/plain' }),
    },
    {
      kind: 'batched content type',
      code: 'unsupported_content_type',
      record: raw(Buffer.from(JSON.stringify([usageEnvelope()])), {
        'content-type': 'application/cloudevents-batch+json',
      }),
    },
    {
      kind: '2 MB value',
      code: 'oversized',
      record: json(usageEnvelope({ note: 'x'.repeat(2 * 1024 * 1024) })),
    },
  ];
}

const configEnvelope = (def: ModelConfigDefinition, data: Json = {}): Json => {
  const envelope = configUpserted(def) as unknown as Json;
  return { ...envelope, data: { ...(envelope.data as Json), ...data } };
};

/** Bad records for the config topic: envelopes that are fine around definitions that are not. */
export function badConfigRecords(): BadRecord[] {
  const def = () => aConfig({ modelName: `bad-${randomUUID().slice(0, 8)}` });
  const budget = (reset: string, id = 'b-1') => [{ id, max_limit: '1', reset_duration: reset }];
  const bad = (kind: string, code: string, data: Json): BadRecord => ({
    kind,
    code,
    record: json(configEnvelope(def(), data)),
    identified: true,
  });
  const manyBudgets = Array.from({ length: 3000 }, (_, i) => ({
    id: randomUUID(),
    max_limit: '1',
    reset_duration: `${i + 1}m`,
  }));
  return [
    bad('duration of 400 nines hours (Infinity)', 'invalid_config', {
      budgets: budget(`${'9'.repeat(400)}h`),
    }),
    bad('duration over ten years', 'invalid_config', { budgets: budget('100000h') }),
    bad('10 KB duration string', 'oversized', { budgets: budget(`${'1'.repeat(10_240)}h`) }),
    bad('lone surrogate in model_name', 'invalid_field', { model_name: 'fz-\ud83d' }),
    bad('NUL in scope_name', 'invalid_field', { scope_name: 'team\u0000' }),
    bad('10 KB scope_name', 'oversized', { scope_name: 'x'.repeat(10_240) }),
    bad('NUL in a budget id', 'invalid_field', { budgets: budget('1d', 'b\u0000') }),
    bad('created_at at Go zero time', 'invalid_field', { created_at: '0001-01-01T00:00:00Z' }),
    bad('unknown scope', 'invalid_config', { scope: 'team' }),
    bad('budget max_limit over a billion dollars', 'invalid_config', {
      budgets: [{ id: 'b-1', max_limit: '1000000001', reset_duration: '1d' }],
    }),
    {
      kind: '3,000 budgets (over MAX_EVENT_BYTES)',
      code: 'oversized',
      record: json(configEnvelope(def(), { budgets: manyBudgets })),
      identified: true,
    },
    {
      kind: 'usage type on the config topic',
      code: 'unknown_type',
      record: json(usageEnvelope()),
      identified: true,
    },
  ];
}
