import {
  LedgerEvent,
  MODEL_CONFIG_DELETED_V1,
  MODEL_CONFIG_UPSERTED_V1,
  USAGE_RECORDED_V1,
} from '../events/event-types';
import { RawRecord } from '../events/kafka-record';
import { DecodeOptions } from './decode-options';
import { decodeModelConfigDeleted } from './model-config-deleted.decoder';
import { decodeModelConfigUpserted } from './model-config-upserted.decoder';
import { identityOfOversized, readCloudEvent } from './read-cloud-event';
import { readEnvelopeIdentity, readEnvelopeMeta } from './read-envelope-meta';
import { CloudEventParts } from './cloud-event-parts';
import { InvalidRecordError, RecordIdentity } from '../dead-letter/dead-letter-reason';
import { decodeUsageRecorded } from './usage-recorded.decoder';
import { readExpectedVersion } from './expected-version';

/**
 * One Kafka record -> one validated ledger event. Throws InvalidRecordError (code + a message
 * naming the field) for anything that must go to the dead-letter topic instead; once the
 * envelope's source and id are read, the error carries them (the API finds its verdicts so).
 */
export function decodeRecord(record: RawRecord, opts: DecodeOptions): LedgerEvent {
  const parts = readParts(record, opts);
  const identity = readEnvelopeIdentity(parts);
  try {
    return decodeEvent(parts, opts, identity);
  } catch (error) {
    if (error instanceof InvalidRecordError) error.identity = identity;
    throw error;
  }
}

function readParts(record: RawRecord, opts: DecodeOptions): CloudEventParts {
  try {
    return readCloudEvent(record, opts.maxValueBytes);
  } catch (error) {
    if (error instanceof InvalidRecordError && error.code === 'oversized') {
      error.identity = identityOfOversized(record);
    }
    throw error;
  }
}

export function decodeEvent(
  parts: CloudEventParts,
  opts: DecodeOptions,
  identity: RecordIdentity,
): LedgerEvent {
  const { type, source, id, time } = readEnvelopeMeta(parts, opts, identity);
  switch (type) {
    case USAGE_RECORDED_V1:
      return {
        type,
        source,
        id,
        time,
        usage: decodeUsageRecorded(parts.data, parts.labels.data, time),
      };
    case MODEL_CONFIG_UPSERTED_V1:
      return {
        type,
        source,
        id,
        time,
        config: decodeModelConfigUpserted(parts.data, parts.labels.data),
        expectedVersion: readExpectedVersion(parts.expectedversion, parts.labels.expectedversion),
      };
    case MODEL_CONFIG_DELETED_V1:
      return {
        type,
        source,
        id,
        time,
        configId: decodeModelConfigDeleted(parts.data, parts.labels.data),
      };
  }
}
