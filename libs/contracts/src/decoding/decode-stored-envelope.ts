import { UsageRecord } from '@app/governance';
import { LedgerEvent, USAGE_RECORDED_V1 } from '../events/event-types';
import { decodeEvent } from './decode-record';
import { DecodeOptions } from './decode-options';
import { dollars } from './field-readers';
import { isJsonObject, JsonObject } from './json-value';
import { structuredParts } from './read-cloud-event';
import { readEnvelopeIdentity } from './read-envelope-meta';
import { parseRfc3339 } from './rfc3339-time';

// An event in the store passed every check when it arrived. Its time is not compared with any
// clock again (a replay's result must not depend on when it runs), nor its size.
const STORED: DecodeOptions = {
  now: new Date(8.64e15),
  maxClockSkewMs: 0,
  maxValueBytes: Number.POSITIVE_INFINITY,
};

/**
 * The event of a stored envelope (the event store's structured CloudEvent JSON), decoded by
 * the same field decoders as a Kafka record, so it yields the very LedgerEvent the projector
 * applied. Skips what only protects against untrusted bytes: the UTF-8 scan (PostgreSQL text
 * is UTF-8), the size limit and the clock-skew check.
 */
export function decodeStoredEnvelope(json: string): LedgerEvent {
  const parts = structuredParts(JSON.parse(json));
  return decodeEvent(parts, STORED, readEnvelopeIdentity(parts));
}

/**
 * decodeStoredEnvelope for a rebuild, which reads every stored event: usage (most of the log)
 * is mapped straight to its UsageRecord with the decoder's defaults and normalisations but
 * without re-checking what its decoder checked when it arrived (types, lengths, storable text,
 * ranges). The other types go through the full decoder. Only for rows of the event store.
 */
export function decodeTrustedStoredEnvelope(json: string): LedgerEvent {
  const envelope: unknown = JSON.parse(json);
  if (
    !isJsonObject(envelope) ||
    envelope.type !== USAGE_RECORDED_V1 ||
    !isJsonObject(envelope.data)
  )
    return decodeStoredEnvelope(json);
  const time = parseRfc3339(envelope.time as string);
  if (time === null) return decodeStoredEnvelope(json); // cannot be stored: let it say why
  return {
    type: USAGE_RECORDED_V1,
    source: envelope.source as string,
    id: envelope.id as string,
    time,
    usage: trustedUsage(envelope.data, time),
  };
}

/** decodeUsageRecorded for data it accepted before (the same fields, defaults, normal forms). */
function trustedUsage(data: JsonObject, time: Date): UsageRecord {
  const inputTokens = tokenCount(data.input_tokens) ?? 0;
  const outputTokens = tokenCount(data.output_tokens) ?? 0;
  const cost = data.cost === undefined || data.cost === null ? 0n : dollars(data.cost);
  if (cost === null) throw new Error(`stored usage ${String(data.request_id)} has no valid cost`);
  return {
    requestId: data.request_id as string,
    provider: data.provider as string,
    model: data.model as string,
    virtualKeyId: (data.virtual_key_id as string | null | undefined) || null,
    userId: (data.user_id as string | null | undefined) || null,
    success: (data.success as boolean | null | undefined) ?? true,
    inputTokens,
    outputTokens,
    totalTokens: tokenCount(data.total_tokens) ?? inputTokens + outputTokens,
    cost,
    streaming: (data.streaming as boolean | null | undefined) ?? false,
    finalChunk: (data.final_chunk as boolean | null | undefined) ?? true,
    time,
  };
}

function tokenCount(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  return value === 0 ? 0 : (value as number); // -0 as the decoder leaves it: 0
}
