import { formatDollarsString, MAX_EVENT_COST_NANOS, UsageRecord } from '@app/governance';
import { InvalidRecordError } from '../dead-letter/dead-letter-reason';
import {
  dollars,
  optionalBoolean,
  optionalString,
  optionalTokenCount,
  requiredObject,
  requiredString,
} from './field-readers';
import { describeValue } from './json-value';

function readCost(value: unknown): bigint {
  if (value === undefined || value === null) return 0n;
  const nanos = dollars(value);
  if (nanos === null) {
    throw new InvalidRecordError(
      'invalid_cost',
      `data.cost must be a non-negative USD amount (a JSON number or a decimal string such as "0.25"), got ${describeValue(value)}`,
    );
  }
  if (nanos > MAX_EVENT_COST_NANOS) {
    throw new InvalidRecordError(
      'invalid_cost',
      `data.cost must be at most ${formatDollarsString(MAX_EVENT_COST_NANOS)} USD per event, got ${describeValue(value)}`,
    );
  }
  return nanos;
}

function readTotalTokens(value: unknown, inputTokens: number, outputTokens: number): number {
  const explicit = optionalTokenCount(value, 'data.total_tokens');
  if (explicit !== undefined) return explicit;
  const sum = inputTokens + outputTokens;
  if (!Number.isSafeInteger(sum)) {
    throw new InvalidRecordError(
      'invalid_field',
      'data.input_tokens + data.output_tokens exceeds the largest safe integer; send data.total_tokens',
    );
  }
  return sum;
}

/** `governance.usage.recorded.v1` data -> UsageRecord; `time` is the envelope's time. */
export function decodeUsageRecorded(value: unknown, label: string, time: Date): UsageRecord {
  const data = requiredObject(value, label);
  const inputTokens = optionalTokenCount(data.input_tokens, 'data.input_tokens') ?? 0;
  const outputTokens = optionalTokenCount(data.output_tokens, 'data.output_tokens') ?? 0;
  return {
    requestId: requiredString(data.request_id, 'data.request_id', false),
    provider: requiredString(data.provider, 'data.provider'),
    model: requiredString(data.model, 'data.model'),
    // "" cannot name a key or a user; treating it as "not set" avoids a phantom scope id.
    virtualKeyId: optionalString(data.virtual_key_id, 'data.virtual_key_id', false) || null,
    userId: optionalString(data.user_id, 'data.user_id', false) || null,
    success: optionalBoolean(data.success, 'data.success', true),
    inputTokens,
    outputTokens,
    totalTokens: readTotalTokens(data.total_tokens, inputTokens, outputTokens),
    cost: readCost(data.cost),
    streaming: optionalBoolean(data.streaming, 'data.streaming', false),
    finalChunk: optionalBoolean(data.final_chunk, 'data.final_chunk', true),
    time,
  };
}
