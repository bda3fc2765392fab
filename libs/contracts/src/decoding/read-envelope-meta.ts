import { InvalidRecordError, RecordIdentity } from '../dead-letter/dead-letter-reason';
import { EnvelopeMeta, EVENT_TYPES, EventType, isEventType } from '../events/event-types';
import { CloudEventParts } from './cloud-event-parts';
import { DecodeOptions } from './decode-options';
import { describeValue } from './json-value';
import { requiredString, requiredTime } from './field-readers';

export interface EnvelopeHead extends EnvelopeMeta {
  type: EventType;
}

/** The event's identity, read first: every later rejection can then name the event. */
export function readEnvelopeIdentity(parts: CloudEventParts): RecordIdentity {
  const labels = parts.labels;
  const specversion = requiredString(parts.specversion, labels.specversion);
  if (specversion !== '1.0') {
    throw new InvalidRecordError(
      'invalid_field',
      `${labels.specversion} must be "1.0", got ${describeValue(specversion)}`,
    );
  }
  return {
    id: requiredString(parts.id, labels.id),
    source: requiredString(parts.source, labels.source),
  };
}

/** Validates the CloudEvents attributes we rely on; `data` is left to the type's decoder. */
export function readEnvelopeMeta(
  parts: CloudEventParts,
  opts: DecodeOptions,
  { source, id }: RecordIdentity,
): EnvelopeHead {
  const labels = parts.labels;
  const type = requiredString(parts.type, labels.type);
  if (!isEventType(type)) {
    throw new InvalidRecordError(
      'unknown_type',
      `${labels.type} ${describeValue(type)} is not a known event type (known: ${EVENT_TYPES.join(', ')})`,
    );
  }
  if (opts.expectedTypes !== undefined && !opts.expectedTypes.includes(type)) {
    throw new InvalidRecordError(
      'unknown_type',
      `${labels.type} "${type}" is not accepted on this topic (expected: ${opts.expectedTypes.join(', ')})`,
    );
  }
  const time = requiredTime(parts.time, labels.time);
  const aheadMs = time.getTime() - opts.now.getTime();
  if (aheadMs > opts.maxClockSkewMs) {
    throw new InvalidRecordError(
      'future_time',
      `${labels.time} ${time.toISOString()} is ${aheadMs} ms ahead of the consumer clock; at most ${opts.maxClockSkewMs} ms is allowed`,
    );
  }
  return { type, source, id, time };
}
