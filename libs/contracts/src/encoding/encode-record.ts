import { CloudEventEnvelope } from './cloud-event-envelope';

/** Assignable both to a kafkajs `Message` and to the decoder's RawRecord. */
export interface EncodedRecord {
  key: Buffer | null;
  value: Buffer;
  headers: Record<string, string>;
}

export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json; charset=utf-8';

function keyBytes(key: string | Buffer | null): Buffer | null {
  return typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
}

/** Structured mode: the whole envelope is the value. The form we produce and recommend. */
export function encodeStructured(
  envelope: CloudEventEnvelope,
  key: string | Buffer | null,
): EncodedRecord {
  return {
    key: keyBytes(key),
    value: Buffer.from(JSON.stringify(envelope), 'utf8'),
    headers: { 'content-type': STRUCTURED_CONTENT_TYPE },
  };
}

/** Binary mode: attributes in `ce_*` headers, only `data` in the value. */
export function encodeBinary(
  envelope: CloudEventEnvelope,
  key: string | Buffer | null,
): EncodedRecord {
  return {
    key: keyBytes(key),
    value: Buffer.from(JSON.stringify(envelope.data), 'utf8'),
    headers: {
      ce_specversion: envelope.specversion,
      ce_id: envelope.id,
      ce_source: envelope.source,
      ce_type: envelope.type,
      ce_time: envelope.time,
      ...(envelope.expectedversion === undefined
        ? {}
        : { ce_expectedversion: String(envelope.expectedversion) }),
      'content-type': envelope.datacontenttype,
    },
  };
}
