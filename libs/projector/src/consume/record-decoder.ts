import {
  decodeRecord,
  EventType,
  InvalidRecordError,
  isStructuredMode,
  LedgerEvent,
  RawRecord,
} from '@app/contracts';
import { unstorableTextReason } from '@app/governance';
import { DecodedRecord, unprocessable } from '@app/ledger';
import { isUtf8 } from 'buffer';
import { KafkaMessage } from 'kafkajs';

export interface DecoderSettings {
  maxClockSkewMs: number;
  maxValueBytes: number;
  expectedTypes: readonly EventType[];
}

const NUL_ESCAPE = Buffer.from('\\u0000');
const SURROGATE_ESCAPE = Buffer.from('\\ud');
const SURROGATE_ESCAPE_UPPER = Buffer.from('\\uD');

/** kafkajs message -> event or dead-letter reason. Never throws for a bad record. */
export function decodeMessage(
  message: KafkaMessage,
  settings: DecoderSettings,
  now: Date,
): DecodedRecord {
  const original = { key: message.key, value: message.value, headers: message.headers ?? {} };
  const raw = toRawRecord(message);
  try {
    const event = decodeRecord(raw, { ...settings, now });
    rejectUnstorableText(event, message.value);
    return { offset: message.offset, original, event, envelope: storable(raw) };
  } catch (error) {
    // Decoding is pure: whatever it throws, it throws again for this record on every retry, so
    // even an unexpected error is the record's to carry to the DLQ, never a reason to stall.
    if (!(error instanceof InvalidRecordError)) {
      const rejected = unprocessable(error);
      return { offset: message.offset, original, rejected, identity: null };
    }
    const rejected = { code: error.code, message: error.message };
    return { offset: message.offset, original, rejected, identity: error.identity };
  }
}

// The decoder refuses text PostgreSQL cannot store in every field it reads; this also covers
// the members it ignores, since the event store keeps the value as sent: every stored envelope
// stays readable as jsonb (which refuses NUL and lone surrogates) by operators and replays.
function rejectUnstorableText(event: LedgerEvent, value: Buffer | null): void {
  if (value === null) return;
  let reason: string | null = null;
  if (value.includes(0) || value.includes(NUL_ESCAPE)) {
    reason = 'strings must not contain NUL (\\u0000) characters';
  } else if (value.includes(SURROGATE_ESCAPE) || value.includes(SURROGATE_ESCAPE_UPPER)) {
    // Rare enough to afford a second parse: only a value with a \uD... escape gets here.
    if (hasUnstorableText(JSON.parse(value.toString('utf8')))) {
      reason = 'strings must be valid Unicode (the value contains a lone surrogate)';
    }
  }
  if (reason === null) return;
  const error = new InvalidRecordError('invalid_field', reason);
  error.identity = { source: event.source, id: event.id };
  throw error;
}

function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return unstorableTextReason(value) !== null;
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  if (typeof value !== 'object' || value === null) return false;
  return Object.entries(value).some(
    ([key, member]) => unstorableTextReason(key) !== null || hasUnstorableText(member),
  );
}

/** A structured value in valid UTF-8 is stored as sent; otherwise the envelope is rebuilt. */
function storable(raw: RawRecord): Buffer | undefined {
  return raw.value !== null && isStructuredMode(raw) && isUtf8(raw.value) ? raw.value : undefined;
}

function toRawRecord(message: KafkaMessage): RawRecord {
  const headers: RawRecord['headers'] = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    // Repeated headers: the CloudEvents binding defines one value per attribute; take the first.
    headers[name] = Array.isArray(value) ? value[0] : value;
  }
  return { key: message.key, value: message.value, headers };
}
