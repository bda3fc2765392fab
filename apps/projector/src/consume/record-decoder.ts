import { decodeRecord, EventType, InvalidRecordError, RawRecord } from '@app/contracts';
import { DecodedRecord } from '@app/ledger';
import { KafkaMessage } from 'kafkajs';

export interface DecoderSettings {
  maxClockSkewMs: number;
  maxValueBytes: number;
  expectedTypes: readonly EventType[];
}

/** kafkajs message -> event or dead-letter reason. Never throws for a bad record. */
export function decodeMessage(
  message: KafkaMessage,
  settings: DecoderSettings,
  now: Date,
): DecodedRecord {
  const original = { key: message.key, value: message.value, headers: message.headers ?? {} };
  try {
    const event = decodeRecord(toRawRecord(message), { ...settings, now });
    return { offset: message.offset, original, event };
  } catch (error) {
    if (!(error instanceof InvalidRecordError)) throw error;
    const rejected = { code: error.code, message: error.message };
    return { offset: message.offset, original, rejected, identity: null };
  }
}

function toRawRecord(message: KafkaMessage): RawRecord {
  const headers: RawRecord['headers'] = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    // Repeated headers: the CloudEvents binding defines one value per attribute; take the first.
    headers[name] = Array.isArray(value) ? value[0] : value;
  }
  return { key: message.key, value: message.value, headers };
}
