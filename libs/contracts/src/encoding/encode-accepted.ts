import { decodeRecord } from '../decoding/decode-record';
import { DecodeOptions } from '../decoding/decode-options';
import { MODEL_CONFIG_DELETED_V1, MODEL_CONFIG_UPSERTED_V1 } from '../events/event-types';
import { CloudEventEnvelope } from './cloud-event-envelope';
import { EncodedRecord, encodeStructured } from './encode-record';

/**
 * A config event encoded as it will be published, run through the very decoder the projector
 * runs (size, text, ranges, governance rules): whatever the projector would dead-letter throws
 * its InvalidRecordError here instead, so a producer can refuse it up front rather than wait
 * for a verdict. One rule, one place.
 */
export function encodeAcceptedConfigEvent(
  envelope: CloudEventEnvelope,
  key: string,
  opts: Omit<DecodeOptions, 'expectedTypes'>,
): EncodedRecord {
  const record = encodeStructured(envelope, key);
  decodeRecord(record, {
    ...opts,
    expectedTypes: [MODEL_CONFIG_UPSERTED_V1, MODEL_CONFIG_DELETED_V1],
  });
  return record;
}
