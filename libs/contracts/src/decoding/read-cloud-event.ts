import { isUtf8 } from 'node:buffer';
import { InvalidRecordError, RecordIdentity } from '../dead-letter/dead-letter-reason';
import { RawRecord } from '../events/kafka-record';
import { BINARY_LABELS, CloudEventParts, STRUCTURED_LABELS } from './cloud-event-parts';
import { describeValue, isJsonObject, JsonObject } from './json-value';
import { readEnvelopeIdentity } from './read-envelope-meta';

const STRUCTURED_MEDIA_TYPE = 'application/cloudevents+json';
const BATCH_MEDIA_TYPE = 'application/cloudevents-batch+json';

export function headerText(headers: RawRecord['headers'], name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.toString('utf8');
}

/** `Application/JSON; charset=utf-8` -> `application/json` */
function mediaTypeOf(contentType: string): string {
  const semicolon = contentType.indexOf(';');
  return (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

// JSON is UTF-8 (RFC 8259). Decoding other bytes would silently turn them into U+FFFD, so the
// stored event would differ from the one sent; a UTF-16 value is refused here too.
function checkUtf8(value: Buffer): void {
  if (!isUtf8(value)) {
    const utf16 = value.length >= 2 && value[0] === 0xff && value[1] === 0xfe;
    throw new InvalidRecordError(
      'invalid_json',
      `record value is not valid UTF-8${utf16 ? ' (it starts with a UTF-16LE byte order mark)' : ''}; JSON must be UTF-8`,
    );
  }
}

function parseJson(value: Buffer): unknown {
  checkUtf8(value);
  try {
    return JSON.parse(value.toString('utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidRecordError('invalid_json', `record value is not valid JSON: ${reason}`);
  }
}

export function structuredParts(envelope: unknown): CloudEventParts {
  if (!isJsonObject(envelope)) {
    throw new InvalidRecordError(
      'not_cloudevent',
      `a structured CloudEvent must be a JSON object, got ${describeValue(envelope)}`,
    );
  }
  checkStructuredData(envelope);
  return {
    specversion: envelope.specversion,
    id: envelope.id,
    source: envelope.source,
    type: envelope.type,
    time: envelope.time,
    data: envelope.data,
    expectedversion: envelope.expectedversion,
    labels: STRUCTURED_LABELS,
  };
}

function checkStructuredData(envelope: JsonObject): void {
  const contentType = envelope.datacontenttype;
  if (contentType !== undefined && contentType !== null) {
    if (typeof contentType !== 'string' || !isJsonMediaType(mediaTypeOf(contentType))) {
      throw new InvalidRecordError(
        'unsupported_content_type',
        `datacontenttype ${describeValue(contentType)} is not supported; data must be application/json`,
      );
    }
  }
  if (envelope.data === undefined && envelope.data_base64 !== undefined) {
    throw new InvalidRecordError(
      'unsupported_content_type',
      'data_base64 is not supported; send data as a JSON object in data',
    );
  }
}

function binaryParts(
  headers: RawRecord['headers'],
  value: Buffer,
  specversion: string,
  mediaType: string | undefined,
): CloudEventParts {
  if (mediaType !== undefined && !isJsonMediaType(mediaType)) {
    throw new InvalidRecordError(
      'unsupported_content_type',
      `content-type ${describeValue(mediaType)} is not supported in binary mode; the value must be application/json`,
    );
  }
  return {
    specversion,
    id: headerText(headers, 'ce_id'),
    source: headerText(headers, 'ce_source'),
    type: headerText(headers, 'ce_type'),
    time: headerText(headers, 'ce_time'),
    data: parseJson(value),
    expectedversion: headerText(headers, 'ce_expectedversion'),
    labels: BINARY_LABELS,
  };
}

// Lenient on purpose: some producers send structured JSON without the content-type header. A
// JSON object with `specversion` cannot be mistaken for anything else we accept.
function headerlessParts(value: Buffer): CloudEventParts {
  let parsed: unknown;
  try {
    // Bytes that are not UTF-8 are not JSON, so not a CloudEvent either.
    parsed = isUtf8(value) ? JSON.parse(value.toString('utf8')) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!isJsonObject(parsed) || parsed.specversion === undefined) {
    throw new InvalidRecordError(
      'not_cloudevent',
      'record is not a CloudEvent: no content-type application/cloudevents+json header, no ce_specversion header, and the value is not a JSON object with specversion',
    );
  }
  return structuredParts(parsed);
}

/**
 * Reads a record in CloudEvents Kafka protocol binding form: structured mode (the whole event as
 * JSON in the value) or binary mode (attributes in `ce_*` headers, data in the value).
 */
export function readCloudEvent(record: RawRecord, maxValueBytes: number): CloudEventParts {
  const value = record.value;
  if (value === null || value.length === 0) {
    throw new InvalidRecordError(
      'invalid_json',
      'record value is empty (a tombstone or an empty message); an event needs a JSON value',
    );
  }
  if (value.length > maxValueBytes) {
    throw new InvalidRecordError(
      'oversized',
      `record value is ${value.length} bytes; the limit is ${maxValueBytes}`,
    );
  }
  const contentType = headerText(record.headers, 'content-type');
  const mediaType = contentType === undefined ? undefined : mediaTypeOf(contentType);
  if (mediaType === STRUCTURED_MEDIA_TYPE) return structuredParts(parseJson(value));
  if (mediaType === BATCH_MEDIA_TYPE) {
    throw new InvalidRecordError(
      'unsupported_content_type',
      'batched CloudEvents (application/cloudevents-batch+json) are not supported; send one event per record',
    );
  }
  const specversion = headerText(record.headers, 'ce_specversion');
  if (specversion !== undefined) return binaryParts(record.headers, value, specversion, mediaType);
  return headerlessParts(value);
}

// The broker's default record limit: parsing once up to this size is cheap next to a 10 s wait.
const IDENTITY_PARSE_LIMIT = 1024 * 1024;

/**
 * The (source, id) of a record too large to decode, when it can be had cheaply: from the
 * headers in binary mode, from one parse of a structured value up to 1 MiB. Whoever published
 * it (the API waiting for its verdict) can then find the rejection.
 */
export function identityOfOversized(record: RawRecord): RecordIdentity | null {
  const value = record.value;
  try {
    if (!isStructuredMode(record)) {
      const headers = record.headers;
      const attribute = (name: string) => headerText(headers, name);
      return readEnvelopeIdentity({
        ...ABSENT_PARTS,
        specversion: attribute('ce_specversion'),
        id: attribute('ce_id'),
        source: attribute('ce_source'),
        labels: BINARY_LABELS,
      });
    }
    if (value === null || value.length > IDENTITY_PARSE_LIMIT || !isUtf8(value)) return null;
    const envelope: unknown = JSON.parse(value.toString('utf8'));
    if (!isJsonObject(envelope)) return null;
    return readEnvelopeIdentity({
      ...ABSENT_PARTS,
      specversion: envelope.specversion,
      id: envelope.id,
      source: envelope.source,
    });
  } catch {
    return null;
  }
}

const ABSENT_PARTS: CloudEventParts = {
  specversion: undefined,
  id: undefined,
  source: undefined,
  type: undefined,
  time: undefined,
  data: undefined,
  expectedversion: undefined,
  labels: STRUCTURED_LABELS,
};

/** Whether the record's value is itself the whole structured CloudEvent (not binary mode). */
export function isStructuredMode(record: RawRecord): boolean {
  const contentType = headerText(record.headers, 'content-type');
  if (contentType !== undefined && mediaTypeOf(contentType) === STRUCTURED_MEDIA_TYPE) return true;
  return headerText(record.headers, 'ce_specversion') === undefined;
}
