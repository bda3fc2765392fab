import {
  decodeRecord,
  EventType,
  InvalidRecordError,
  isStructuredMode,
  LedgerEvent,
  RawRecord,
} from '@app/contracts';
import { DecodedRecord, unprocessable } from '@app/ledger';
import { isUtf8 } from 'buffer';
import { KafkaMessage } from 'kafkajs';

export interface DecoderSettings {
  maxClockSkewMs: number;
  maxValueBytes: number;
  expectedTypes: readonly EventType[];
}

const NUL_ESCAPE = Buffer.from('\\u0000');

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
    rejectNul(event, message.value);
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

// PostgreSQL text cannot hold NUL. The decoder refuses it in every field it reads; this also
// covers members it ignores, since the event store keeps the value as sent and replays it.
function rejectNul(event: LedgerEvent, value: Buffer | null): void {
  if (value !== null && (value.includes(0) || value.includes(NUL_ESCAPE))) {
    const error = new InvalidRecordError(
      'invalid_field',
      'strings must not contain NUL (\\u0000) characters',
    );
    error.identity = { source: event.source, id: event.id };
    throw error;
  }
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
