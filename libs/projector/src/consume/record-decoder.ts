import {
  decodeRecord,
  EventType,
  InvalidRecordError,
  isStructuredMode,
  LedgerEvent,
  RawRecord,
} from '@app/contracts';
import { DecodedRecord } from '@app/ledger';
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
    if (!(error instanceof InvalidRecordError)) throw error;
    const rejected = { code: error.code, message: error.message };
    return { offset: message.offset, original, rejected, identity: null };
  }
}

// PostgreSQL text cannot hold NUL: such an event could never be stored, so it is refused.
function rejectNul(event: LedgerEvent, value: Buffer | null): void {
  const inValue = value !== null && (value.includes(0) || value.includes(NUL_ESCAPE));
  if (inValue || event.source.includes('\u0000') || event.id.includes('\u0000')) {
    throw new InvalidRecordError(
      'invalid_field',
      'strings must not contain NUL (\\u0000) characters',
    );
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
