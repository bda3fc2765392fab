import { LedgerEvent } from '../events/event-types';
import { decodeEvent } from './decode-record';
import { DecodeOptions } from './decode-options';
import { structuredParts } from './read-cloud-event';
import { readEnvelopeIdentity } from './read-envelope-meta';

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
